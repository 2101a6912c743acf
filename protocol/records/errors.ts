/**
 * The one error record decoding throws. Malformed record bytes are external input, so this is an
 * expected condition (a corrupt fetch, a hostile peer), not a bug: callers catch it and map it to
 * CORRUPT_MESSAGE or INVALID_RECORD. Its message names the field that was wrong.
 */
export class RecordBatchError extends Error {
  override name = 'RecordBatchError';
}
