/**
 * protocol/controller: the controller API that brokers and tools speak to the active controller
 * (registration, heartbeats, AlterPartition, forwarded admin requests): its names, the zod
 * schemas of its requests (validated at the controller, the trust boundary) and the error
 * fields every reply carries, with numbers from protocol/error-codes.ts.
 */
export { ControllerApi, type ControllerReply } from './controller-apis.js';
export { fromApiError, NO_ERROR, wireError, type WireError } from './wire-error.js';
export * from './request-schemas.js';
