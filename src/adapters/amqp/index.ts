/**
 * `itsmkit/amqp`: the status-message source and publisher on RabbitMQ (amqplib).
 * @module itsmkit/amqp
 */
export { AmqpMessageSource, AMQP_HEADERS } from './source.js';
export type { AmqpMessageSourceOptions, AmqpSourceStats } from './source.js';
export { AmqpStatusPublisher } from './publisher.js';
export type { AmqpStatusPublisherOptions, PublishStatusOptions, StatusPayload } from './publisher.js';
export { assertStatusTopology, statusTopology, deadLetterRoute, DEFAULT_STATUS_QUEUE } from './topology.js';
export type { StatusTopology, StatusTopologyMode, StatusQueueType, StatusTopologyOptions } from './topology.js';
export { BrokerError, isBrokerError } from './errors.js';
export type { BrokerErrorCode, BrokerErrorInit } from './errors.js';
export type { AmqpConfirmChannel, AmqpConnect, AmqpConnection, AmqpDelivery, AmqpPublishOptions } from './amqp-types.js';
