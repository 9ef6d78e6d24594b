// The raw generated protobuf-es schemas and types of every Status payload .proto (proto/, status-go
// v0.62.0). Typed wrappers with validation live beside this file; these are for callers that need a field
// the wrappers do not expose.
export * from './generated/application_metadata_message_pb.js';
export * from './generated/chat_message_pb.js';
export * from './generated/command_pb.js';
export * from './generated/contact_pb.js';
export * from './generated/emoji_reaction_pb.js';
export * from './generated/enums_pb.js';
export * from './generated/group_chat_invitation_pb.js';
export * from './generated/membership_update_message_pb.js';
export * from './generated/pairing_pb.js';
export * from './generated/push_notifications_pb.js';
