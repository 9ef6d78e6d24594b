// Typed events for long-lived objects: `class Server extends TypedEmitter<{ 'peer:connected': [Peer] }>`.
export { EventEmitter as TypedEmitter } from 'eventemitter3';
