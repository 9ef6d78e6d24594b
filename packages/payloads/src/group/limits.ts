import { MAX_APPLICATION_PAYLOAD_BYTES } from '../limits.js';

/**
 * Limits of the group chat module. status-go v0.62.0 sets none of its own: a MembershipUpdateMessage is
 * bounded only by the transport. Each limit below is far above what status-go produces, and exists so a
 * hostile peer cannot make us hash, recover or keep unbounded data.
 */

/**
 * Largest serialized MembershipUpdateMessage we decode or produce. It travels as the payload of one
 * ApplicationMetadataMessage in one waku envelope, so it can never be larger than an application payload.
 */
export const MAX_MEMBERSHIP_UPDATE_BYTES = MAX_APPLICATION_PAYLOAD_BYTES;

/**
 * Most events in one MembershipUpdateMessage. status-go sends the group's whole log with every group
 * message and re-validates it on every receipt, so real logs stay in the tens to hundreds of events; this
 * is 4x the 1,000-event log of our benchmark. Each event costs a signature recovery, so the count (not
 * only the byte size, which would allow ~15,000 minimal events) bounds the work a single message causes.
 */
export const MAX_MEMBERSHIP_EVENTS_PER_UPDATE = 4096;

/**
 * Most member keys in one event. MEMBERS_ADDED carries the members picked at once (status-go's app keeps
 * groups to tens of people); 1,024 keys of 132 characters are about 137 KiB.
 */
export const MAX_MEMBERSHIP_EVENT_MEMBERS = 1024;

/**
 * Longest member string we decode, in characters. status-go writes `0x04…` keys of 132 characters; it
 * accepts other strings without checking them (they can never match an author), so we keep those that
 * fit and refuse absurd ones.
 */
export const MAX_GROUP_MEMBER_ID_LENGTH = 256;

/** Longest group name, in UTF-8 bytes. status-go has no cap; the apps' name field holds tens of characters. */
export const MAX_GROUP_NAME_BYTES = 1024;

/**
 * Longest chat id of a MembershipUpdateMessage, in characters. status-go's ids are 169 characters
 * (36-character UUID, `-`, 132-character creator key); status-go checks only the creator suffix, so we
 * leave room for other prefixes.
 */
export const MAX_GROUP_CHAT_ID_LENGTH = 512;
