/** The time source of everything that expires (tokens, sessions, lockouts), so tests can move time by hand. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
