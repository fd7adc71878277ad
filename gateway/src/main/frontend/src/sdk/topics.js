// Which topics the event-bus bridge carries. Its own module, without the bridge client, so that the
// dashboard's router (which bundles this copy) and Node's tests can use the rule; the SDK re-exports it.

/** What the bridge accepts as a topic: lower-case letters, digits and `._:-`, at most 128 characters. */
export const TOPIC = /^[a-z0-9][a-z0-9._:-]{0,127}$/;

/** Whether the bridge carries this topic. */
export function isTopic(topic) {
  return typeof topic === 'string' && TOPIC.test(topic);
}
