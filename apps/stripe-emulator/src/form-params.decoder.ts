/**
 * Stripe's form encoding: nested values travel as bracketed names. `metadata[call_id]=c1` is
 * `{ metadata: { call_id: 'c1' } }`; lists come as `expand[0]=a` (what stripe-node sends) or
 * `expand[]=a` (curl), and both decode to an object keyed '0', '1', … that {@link listOf} reads.
 */
export type FormValue = string | FormObject;
export interface FormObject {
  [name: string]: FormValue;
}

const BRACKETED = /^([^[\]]+)((?:\[[^[\]]*\])+)$/;

export function decodeFormParams(pairs: URLSearchParams): FormObject {
  const root: FormObject = {};
  for (const [name, value] of pairs) {
    const path = namePath(name);
    let node = root;
    path.forEach((segment, index) => {
      const key = segment === '' ? String(Object.keys(node).length) : segment;
      if (index === path.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      node = typeof next === 'object' ? next : (node[key] = {});
    });
  }
  return root;
}

/** The items of a decoded list, in order; undefined when the value is not a list. */
export function listOf(value: FormValue): FormValue[] | undefined {
  if (typeof value === 'string') return undefined;
  const keys = Object.keys(value);
  if (!keys.every((key, index) => key === String(index))) return undefined;
  return keys.map((key) => value[key]);
}

function namePath(name: string): string[] {
  const match = BRACKETED.exec(name);
  if (!match) return [name];
  return [match[1], ...match[2].slice(1, -1).split('][')];
}
