import { equalBytes } from '@status-ts/core';
import { bloomMatches, isFullBloom, type Topic, topicToBloom } from '@status-ts/waku';
import { MailserverError, MailserverErrorCode } from '../errors.js';
import { assertCursor } from '../key.js';
import type { HistoryQuery } from './types.js';

function topicNumber(topic: Uint8Array): number {
  return ((topic[0]! << 24) | (topic[1]! << 16) | (topic[2]! << 8) | topic[3]!) >>> 0;
}

/** A predicate over topics for a query: exact topics win over the bloom; none of either matches all. */
export function topicMatcher(query: HistoryQuery): (topic: Topic) => boolean {
  if (query.topics && query.topics.length > 0) {
    const topics = query.topics;
    // A set, not a scan of the list: a request may name 1,000 topics.
    const wanted = new Set(topics.filter((t) => t.length === 4).map(topicNumber));
    // A topic of another length (never an envelope's) can only equal a requested topic of its length.
    return (topic) =>
      topic.length === 4 ? wanted.has(topicNumber(topic)) : topics.some((t) => equalBytes(t, topic));
  }
  const bloom = query.bloom;
  if (!bloom || bloom.length === 0 || isFullBloom(bloom)) return () => true;
  return (topic) => bloomMatches(bloom, topicToBloom(topic));
}

/** Checks what every store relies on; throws ERR_MAILSERVER_INVALID_REQUEST. */
export function checkQuery(query: HistoryQuery): void {
  // `details` name the field and its value (a bloom's length) for the caller that logs the refusal.
  const bad = (message: string, field: string, value: number) =>
    new MailserverError(MailserverErrorCode.InvalidRequest, message, { details: { field, value } });
  if (!Number.isInteger(query.limit) || query.limit < 1) {
    throw bad(`limit must be a positive integer`, 'limit', query.limit);
  }
  for (const field of ['lower', 'upper'] as const) {
    const v = query[field];
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw bad(`${field} must be uint32 seconds`, field, v);
  }
  if (query.bloom && query.bloom.length !== 0 && query.bloom.length !== 64) {
    throw bad('bloom must be 64 bytes', 'bloom', query.bloom.length);
  }
  if (query.cursor && query.cursor.length > 0) assertCursor(query.cursor);
}
