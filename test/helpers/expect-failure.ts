/** `promise.then(unexpected, (e) => e as E)`: fails the test if a call that should fail succeeds. */
export const unexpected = (): never => {
  throw new Error('expected the call to fail, but it succeeded');
};
