/** Every public member of T: all a caller of T can see, so all a fake of T has to give. */
export type PublicPart<T> = { [K in keyof T]: T[K] };

/**
 * A fake where the use case injects the real T. The two differ only in T's private members, which
 * no caller reaches; the fake is checked against every public member of T.
 */
export function standIn<T>(fake: NoInfer<PublicPart<T>>): T {
  return fake;
}
