import t from 'tap';
import { fromApiError, NO_ERROR, wireError } from '../../../protocol/controller/wire-error.js';
import { CONTROLLER_ERROR_NAMES } from '../../../metadata/index.js';
import { ErrorCode, errorInfo } from '../../../protocol/error-codes.js';

t.test('every controller error keeps its Kafka number at the wire (Errors.java)', async (t) => {
  // The numbers themselves are pinned in tests/unit/protocol/error-codes.test.ts.
  for (const name of CONTROLLER_ERROR_NAMES) {
    const wire = fromApiError({ error: name, message: 'why' });
    t.equal(wire.errorCode, ErrorCode[name], name);
    t.equal(wire.error, name);
    t.equal(wire.message, 'why');
  }
});

t.test('retriable flags and default messages come from protocol/error-codes', async (t) => {
  const notController = wireError('NOT_CONTROLLER', '');
  t.equal(notController.retriable, errorInfo(41).retriable);
  t.equal(notController.retriable, true);
  t.equal(notController.message, errorInfo(41).message);
  t.equal(wireError('TOPIC_ALREADY_EXISTS', 'x').retriable, false);
  t.same(NO_ERROR, { error: 'NONE', errorCode: 0, retriable: false, message: '' });
});
