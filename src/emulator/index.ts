/** The local Google Cloud emulator: public entry points and types. */
export { startEmulator, createContext, dispatch, type RunningEmulator } from './server.js';
export { runEmulatorForeground, usageText, type ForegroundOptions } from './foreground.js';
export type {
  EmulatorContext,
  EmulatorModule,
  EmulatorOptions,
  ResolvedEmulatorOptions,
  RequestLogEntry,
  Seeder,
  IdSource,
} from './core/context.js';
export { ResourceStore, type Json, type JsonObject, type ChangeListener } from './core/store.js';
export {
  Router,
  ApiError,
  googleError,
  rpcError,
  type ApiRequest,
  type ApiResponse,
  type RouteHandler,
  type OperationFault,
} from './core/http.js';
export { parseFaultPlan, readFaultPlanFile, FaultEngine, type FaultPlan, type FaultRule } from './core/faults.js';
export type { OperationTracker } from './core/operations.js';
