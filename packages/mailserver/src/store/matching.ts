import { equalBytes } from '@status-ts/core';
import { bloomMatches, isFullBloom, type Topic, topicToBloom } from '@status-ts/waku';
import { MailserverError, MailserverErrorCode } from '../errors.js';
import { assertCursor } from '../key.js';
import type { HistoryQuery } from './types.js';

/** A predicate over topics for a query: exact topics win over the bloom; none of either matches all. */
export function topicMatcher(query: HistoryQuery): (topic: Topic) => boolean {
  if (query.topics && query.topics.length > 0) {
    const wanted = query.topics;
    return (topic) => wanted.some((t) => equalBytes(t, topic));
  }
  const bloom = query.bloom;
  if (!bloom || bloom.length === 0 || isFullBloom(bloom)) return () => true;
  return (topic) => bloomMatches(bloom, topicToBloom(topic));
}

/** Checks what every store relies on; throws ERR_MAILSERVER_INVALID_REQUEST. */
export function checkQuery(query: HistoryQuery): void {
  const bad = (message: string) => new MailserverError(MailserverErrorCode.InvalidRequest, message);
  if (!Number.isInteger(query.limit) || query.limit < 1) throw bad(`limit must be a positive integer`);
  for (const v of [query.lower, query.upper]) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw bad(`time bounds must be uint32 seconds`);
  }
  if (query.bloom && query.bloom.length !== 0 && query.bloom.length !== 64)
    throw bad('bloom must be 64 bytes');
  if (query.cursor && query.cursor.length > 0) assertCursor(query.cursor);
}
