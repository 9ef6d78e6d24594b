// Re-exported from core so simulation users need one import.
export { seededRandom } from '@status-ts/core';
