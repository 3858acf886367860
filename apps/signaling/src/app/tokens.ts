/** Injection tokens of the signaling service. */
export const NATS_NAMES = Symbol('NATS_NAMES');
export const TOPOLOGY_READY = Symbol('TOPOLOGY_READY');
export const GRAPH_CLIENT = Symbol('GRAPH_CLIENT');
