// Whether what an emitter sends fits what a listener accepts (src/dashboard/schemas.js): the problems
// listed here are the text of the dashboard's schema warning.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mismatches } from '../src/dashboard/schemas.js';

// the payload of the sales table's `row-selected`, as its manifest declares it
const ROW_SELECTED = {
  type: 'object',
  required: ['region', 'unit', 'months', 'sales', 'total'],
  properties: {
    region: { type: 'string' },
    unit: { type: 'string' },
    months: { type: 'array', items: { type: 'string' } },
    sales: { type: 'array', items: { type: 'number' } },
    total: { type: 'number' },
  },
};

describe('payloads that fit', () => {
  test('equal schemas', () => {
    assert.deepEqual(mismatches(ROW_SELECTED, structuredClone(ROW_SELECTED)), []);
  });

  test('a listener that needs less than is sent', () => {
    const needsRegion = { type: 'object', required: ['region'], properties: { region: { type: 'string' } } };
    assert.deepEqual(mismatches(ROW_SELECTED, needsRegion), []);
  });

  test('optional properties of the listener are not required from the emitter', () => {
    const optional = { type: 'object', properties: { colour: { type: 'string' } } };
    assert.deepEqual(mismatches(ROW_SELECTED, optional), []);
  });

  test('an integer is a number', () => {
    assert.deepEqual(mismatches({ type: 'integer' }, { type: 'number' }), []);
  });

  test('a side without a schema, or a schema without a type, is not checked', () => {
    assert.deepEqual(mismatches(undefined, ROW_SELECTED), []);
    assert.deepEqual(mismatches(ROW_SELECTED, null), []);
    assert.deepEqual(mismatches([], ROW_SELECTED), []);
    assert.deepEqual(mismatches({ type: 'string' }, {}), [], 'a listener that takes anything');
    assert.deepEqual(mismatches({}, { type: 'string' }), [], 'an emitter that does not say');
  });

  test('one of several types the listener takes', () => {
    assert.deepEqual(mismatches({ type: 'string' }, { type: ['string', 'null'] }), []);
  });
});

describe('payloads that do not fit, in words', () => {
  test('another type', () => {
    assert.deepEqual(mismatches({ type: 'string' }, { type: 'object' }), [
      'the payload is string, the listener takes object',
    ]);
  });

  test('a number where the listener takes integers', () => {
    assert.deepEqual(
      mismatches(
        { type: 'object', properties: { count: { type: 'number' } } },
        { type: 'object', required: ['count'], properties: { count: { type: 'integer' } } },
      ),
      ['“count” is number, the listener takes integer'],
    );
  });

  test('a type the listener does not take among the emitter’s', () => {
    assert.deepEqual(mismatches({ type: ['string', 'null'] }, { type: 'string' }), [
      'the payload is string or null, the listener takes string',
    ]);
  });

  test('a required property the emitter does not send, and one of another type', () => {
    const wants = {
      type: 'object',
      required: ['region', 'regionCode', 'total'],
      properties: { region: { type: 'string' }, total: { type: 'string' } },
    };
    assert.deepEqual(mismatches(ROW_SELECTED, wants), [
      'the listener requires “regionCode”, which the emitter does not send',
      '“total” is number, the listener takes string',
    ]);
  });

  test('nested objects, by their path', () => {
    const sends = { properties: { customer: { properties: { name: { type: 'string' } } } } };
    const wants = { required: ['customer'], properties: { customer: { required: ['id'] } } };
    assert.deepEqual(mismatches(sends, wants), [
      'the listener requires “customer.id”, which the emitter does not send',
    ]);
  });

  test('arrays, by their items', () => {
    const wants = {
      type: 'object',
      required: ['months'],
      properties: { months: { type: 'array', items: { type: 'integer' } } },
    };
    assert.deepEqual(mismatches(ROW_SELECTED, wants), ['“months[]” is string, the listener takes integer']);
  });

  test('an object type is read from properties or required, an array type from items', () => {
    assert.deepEqual(mismatches({ properties: {} }, { items: {} }), [
      'the payload is object, the listener takes array',
    ]);
  });

  test('a schema nested deeper than 16 levels stops there instead of looping', () => {
    const deep = (levels, leaf) =>
      levels === 0 ? leaf : { type: 'object', required: ['x'], properties: { x: deep(levels - 1, leaf) } };
    assert.deepEqual(mismatches(deep(30, { type: 'string' }), deep(30, { type: 'number' })), []);
    assert.equal(
      mismatches(deep(3, { type: 'string' }), deep(3, { type: 'number' }))[0],
      '“x.x.x” is string, the listener takes number',
    );
  });
});
