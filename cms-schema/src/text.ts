/**
 * Text as the platform stores it: characters that XML 1.0 does not allow — C0 controls but tab, newline and
 * carriage return; DEL and the C1 controls; U+FFFE/U+FFFF; unpaired surrogates — are dropped at the schema.
 * A NUL pasted into a title would otherwise go out as a raw 0x00 in <title>, and every feed reader of that
 * site's rss.xml would stop at it (libxml2: "Char 0x0 out of allowed range"). Invisible, so nothing is lost.
 */
import { z } from 'zod';

// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids are what this finds
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const stripControls = (s: string): string => s.replace(NOT_XML, '');

/** A string field with the characters above removed before any other check (min length counts what is kept). */
export const text = (params?: Parameters<typeof z.string>[0]) => z.string(params).overwrite(stripControls);
