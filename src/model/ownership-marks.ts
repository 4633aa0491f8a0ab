/**
 * The words of the ownership mark, shared by the kinds (which say how each carries it) and
 * ownership.ts (which writes and reads it through the registry). Pure, imports nothing.
 */

export const OWNER_LABEL = 'serverless-lb';
/**
 * Cloud Run service annotation naming the one LB that set the service's ingress: the form earlier
 * versions wrote, read as that LB's share (src/kinds/cloud-run-shares.ts) and replaced on the next write.
 */
export const RUN_OWNER_ANNOTATION = 'serverless-lb/owner';
/** Cloud Run service annotation: JSON object from LB name to the ingress that LB needs. */
export const RUN_INGRESS_SHARES_ANNOTATION = 'serverless-lb/ingress';
/** Cloud Run service annotation holding the ingress the service had before serverless-lb set it. */
export const RUN_PREVIOUS_INGRESS_ANNOTATION = 'serverless-lb/previous-ingress';

export function ownerMarker(lbName: string): string {
  return `[${OWNER_LABEL}:${lbName}]`;
}

/** The description marker `[serverless-lb:<lb>]` at the start of a description. */
export const MARKER_PATTERN = /^\[serverless-lb:([a-z]([-a-z0-9]*[a-z0-9])?)\]/;
/** Cloud Run service annotation naming the one LB that granted roles/run.invoker: the earlier form (see RUN_OWNER_ANNOTATION). */
export const RUN_INVOKER_OWNER_ANNOTATION = 'serverless-lb/invoker-owner';
/** Cloud Run service annotation: JSON object from LB name to the members that LB needs in roles/run.invoker. */
export const RUN_INVOKER_SHARES_ANNOTATION = 'serverless-lb/invoker';
/** Cloud Run service annotation listing the members serverless-lb added to roles/run.invoker. */
export const RUN_INVOKER_ADDED_ANNOTATION = 'serverless-lb/invoker-added';
/** Cloud Run service annotation: JSON object from LB name to "disabled", the LBs that need the run.app URL off. */
export const RUN_DEFAULT_URL_SHARES_ANNOTATION = 'serverless-lb/default-url';
/** Cloud Run service annotation: "enabled" when serverless-lb turned the run.app URL off (the last LB to leave turns it back on). */
export const RUN_DEFAULT_URL_RESTORE_ANNOTATION = 'serverless-lb/default-url-restore';
