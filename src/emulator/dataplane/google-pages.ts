/**
 * The HTML error pages Google's front ends answer with (Cloud Run's blocked ingress and missing
 * service 404, the invoker check's 403, the load balancer's 502/503), so clients can tell them apart
 * the way they would in production.
 */

const TITLES: Record<number, [string, string]> = {
  400: ['400 Bad Request', 'Bad Request'],
  403: ['403 Forbidden', 'Forbidden'],
  404: ['404 Page not found', 'Page not found'],
  429: ['429 Too Many Requests', 'Too Many Requests'],
  502: ['502 Server Error', 'Server Error'],
  503: ['503 Service Unavailable', 'Service Unavailable'],
};

/** A Google front-end error page. */
export function googleErrorPage(status: number, path: string): string {
  const [title, heading] = TITLES[status] ?? [`${status} Error`, 'Error'];
  const detail =
    status === 403
      ? `Your client does not have permission to get URL <code>${escapeHtml(path)}</code> from this server.`
      : status === 404
        ? 'The requested URL was not found on this server.'
        : status === 502 || status === 503
          ? 'The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.'
          : '';
  return (
    '<html><head>\n<meta http-equiv="content-type" content="text/html;charset=utf-8">\n' +
    `<title>${title}</title>\n</head>\n<body text=#000000 bgcolor=#ffffff>\n` +
    `<h1>Error: ${heading}</h1>\n<h2>${detail}</h2>\n<h2></h2>\n</body></html>\n`
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
