// What src/tickets offers the other folders of src/: they import from this file only
// (eslint.config.js, "Layers"). Not a package entry: the public surface is src/index.ts.
export { compileClassifier } from './classifier.js';
export type { Classification, ClassificationInput } from './classifier.js';
export { TICKET_TYPES } from './config-schema.js';
export type { ItsmConfig, TicketPlatform } from './config-schema.js';
export { compilePayloadValidators, loadItsmConfig, parseItsmConfig } from './config.js';
export { snakeToCamel } from './key-case.js';
export { SupportCounter } from './support-counter.js';
export { TicketService } from './ticket-service.js';
export { createTicketsHandler } from './tickets-handler.js';
