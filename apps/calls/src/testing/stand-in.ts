/** Every public member of T: all a caller of T can see, so all a fake of T has to give. */
export type PublicPart<T> = { [K in keyof T]: T[K] };

/**
 * A fake where the real T is expected. The fake and T differ only in T's private members, which no
 * caller can reach; TypeScript accepts that here, where T is generic, and checks the fake against
 * every public member of T.
 */
export function standIn<T>(fake: NoInfer<PublicPart<T>>): T {
  return fake;
}
