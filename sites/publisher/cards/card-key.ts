/** A card's identity without its renderer (no wasm loaded just to compare): equal keys give equal bytes. */
import type { CardSpec } from '../../src/model.ts';

/** Bump when the card's look changes: it is part of every card's identity. */
export const CARD_VERSION = 1;

export function cardKey(c: CardSpec): string {
  return JSON.stringify([CARD_VERSION, c.title, c.siteName, c.date, c.colors.primary, c.colors.primaryDark, c.colors.accent, c.colors.surface]);
}
