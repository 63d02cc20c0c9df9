/** The time source, injected so tests can pin "now" (token iat/exp, secret expiry). */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
