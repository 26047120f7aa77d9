/**
 * @module
 * The security schemes Fleetpress accepts, as OpenAPI declares them, and which of them a route takes:
 * the guard that covers its path decides (`auth/`), as it does when a request is served. MainWP's
 * namespaces take an API key (Bearer `secret==key`, `consumer_key`/`consumer_secret`, or the pair as
 * HTTP Basic); the Abilities API takes an application password or a Bearer key acting as its owner.
 *
 * @example
 * ```ts
 * securityFor("/mainwp/v2/sites", false); // [{ bearerAuth: [] }, { consumerKey: [], consumerSecret: [] }, …]
 * ```
 */
import { mainwpKeyGuard } from "../auth/mainwp-keys.ts";
import { wpUserGuard } from "../auth/wp-users.ts";

/** `components.securitySchemes`. */
export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    description:
      "A MainWP API key sent as `Authorization: Bearer <secret>==<key>` (the secret and key without " +
      "their `cs_` / `ck_` prefixes). On the Abilities API and the MCP endpoint the key acts as its owner user.",
  },
  consumerKey: {
    type: "apiKey",
    in: "query",
    name: "consumer_key",
    description: "A MainWP API key's consumer key (`ck_…`); send `consumer_secret` with it.",
  },
  consumerSecret: {
    type: "apiKey",
    in: "query",
    name: "consumer_secret",
    description: "A MainWP API key's consumer secret (`cs_…`).",
  },
  consumerKeyBasic: {
    type: "http",
    scheme: "basic",
    description:
      "A MainWP API key as HTTP Basic: the consumer key as user name, the consumer secret as password.",
  },
  applicationPassword: {
    type: "http",
    scheme: "basic",
    description:
      "A WordPress user's login and one of their application passwords (`deno task cli app-password create LOGIN`).",
  },
} as const;

type Requirement = Record<string, string[]>;

const MAINWP_KEY: Requirement[] = [
  { bearerAuth: [] },
  { consumerKey: [], consumerSecret: [] },
  { consumerKeyBasic: [] },
];
const WP_USER: Requirement[] = [{ applicationPassword: [] }, { bearerAuth: [] }];

/** What the MCP endpoint accepts: the Abilities API's credentials. */
export const MCP_SECURITY: Requirement[] = WP_USER;

/**
 * The security requirements of a route: none for public ones, else those of the guard covering its path
 * (any scheme for a path no guard covers, such as `/batch/v1`, whose sub-requests authenticate alone).
 *
 * @example
 * ```ts
 * securityFor("/wp-abilities/v1/abilities", false); // [{ applicationPassword: [] }, { bearerAuth: [] }]
 * ```
 */
export function securityFor(routePattern: string, isPublic: boolean): Requirement[] {
  if (isPublic) return [];
  if (mainwpKeyGuard.covers(routePattern)) return MAINWP_KEY;
  if (wpUserGuard.covers(routePattern)) return WP_USER;
  return [...MAINWP_KEY, { applicationPassword: [] }];
}
