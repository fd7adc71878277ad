// Does what an emitter sends fit what a listener declares it accepts? A structural comparison of the
// two payload schemas from the manifests (emits[].schema, listens[].schema), not a full JSON Schema
// subset check: equal schemas fit; otherwise the types must agree, and every property the listener
// requires must be a property of the emitter's payload with the same type, all the way down.

/** Returns a list of problems (empty when the payloads fit, or when either side has no schema). */
export function mismatches(emitted, accepted) {
  const problems = [];
  if (!isSchema(emitted) || !isSchema(accepted)) return problems;
  compare(emitted, accepted, '', problems, 0);
  return problems;
}

function isSchema(s) {
  return s !== null && typeof s === 'object' && !Array.isArray(s);
}

function types(schema) {
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties || schema.required) return ['object'];
  if (schema.items) return ['array'];
  return null; // anything
}

// an integer is a number; a number is not always an integer
function accepts(acceptedType, emittedType) {
  return acceptedType === emittedType || (acceptedType === 'number' && emittedType === 'integer');
}

function where(path) {
  return path === '' ? 'the payload' : `“${path}”`;
}

function compare(emitted, accepted, path, problems, depth) {
  if (depth > 16 || equal(emitted, accepted)) return;
  const sent = types(emitted);
  const taken = types(accepted);
  if (taken && sent) {
    const unfit = sent.filter((t) => !taken.some((a) => accepts(a, t)));
    if (unfit.length > 0) {
      problems.push(`${where(path)} is ${sent.join(' or ')}, the listener takes ${taken.join(' or ')}`);
      return;
    }
  } else if (taken && !sent) {
    return; // the emitter does not say: nothing to compare
  }
  const both = (t) => (!taken || taken.includes(t)) && (!sent || sent.includes(t));
  if (both('object')) {
    const required = Array.isArray(accepted.required) ? accepted.required : [];
    const offered = isSchema(emitted.properties) ? emitted.properties : {};
    const wanted = isSchema(accepted.properties) ? accepted.properties : {};
    for (const name of required) {
      const child = path ? `${path}.${name}` : name;
      if (!(name in offered)) {
        problems.push(`the listener requires “${child}”, which the emitter does not send`);
      } else if (isSchema(wanted[name]) && isSchema(offered[name])) {
        compare(offered[name], wanted[name], child, problems, depth + 1);
      }
    }
  }
  if (both('array') && isSchema(emitted.items) && isSchema(accepted.items)) {
    compare(emitted.items, accepted.items, `${path}[]`, problems, depth + 1);
  }
}

function equal(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k]));
}
