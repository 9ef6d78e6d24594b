// Node-only entry: the UDP socket transport (node:dgram). Import from '@status-ts/discv5/udp'.
export { createUdpTransport, type UdpTransportOptions } from './udp-transport.js';
