/**
 * @module
 * The MainWP Child connector: keys, the reply envelope, the connector itself, sync mapping, version
 * checks and the site-address guard.
 *
 * @example
 * ```ts
 * import { ChildConnector, ChildError } from "./child/index.ts";
 * const connector = new ChildConnector(hooks, { dashboardUrl: config.publicUrl });
 * ```
 */
export {
  type AddressCheck,
  type AddressClass,
  type AddressGuardOptions,
  ALLOW_SITE_ADDRESS_FILTER,
  assertSiteAddressAllowed,
  checkSiteAddresses,
  classifyAddress,
  parseSiteUrl,
} from "./address-guard.ts";
export {
  ajaxUrl,
  type CheckSiteOptions,
  type CheckSiteResult,
  CHILD_HOOKS,
  ChildConnector,
  type ChildConnectorOptions,
  type ChildRequestInfo,
  type ChildRequestOutcome,
  type ChildSite,
  DASHBOARD_VERSION,
  DEFAULT_UP_STATUS_CODES,
  type RegisterOptions,
  type RegisterResult,
  type RequestOptions,
  type SiteAccess,
  type SyncResult,
} from "./connector.ts";
export {
  childErrorOf,
  type ChildReply,
  encodeEnvelope,
  parseChildReply,
  parseChildValue,
  parseEnvelope,
  type ParseOptions,
} from "./envelope.ts";
export {
  ChildError,
  type ChildErrorCategory,
  type ChildErrorOptions,
  IMUNIFY_MESSAGE,
  NOT_DETECTED_MESSAGE,
} from "./errors.ts";
export { type ChildTlsOptions } from "./http.ts";
export { encodePhpForm, type FormFields, type FormValue, rawUrlDecode, rawUrlEncode } from "./form.ts";
export {
  decryptPrivateKey,
  encryptPrivateKey,
  generateSiteKeys,
  randomNonce,
  SIGN_ALGO_SHA256,
  SIGN_ALGORITHMS,
  signRequest,
  signRequestAsync,
  type SiteKeyPair,
  verifySignature,
} from "./keys.ts";
export {
  activeThemeLabel,
  type PhpMap,
  siteHealthScore,
  type SiteInfo,
  syncErrorText,
  type SyncValues,
  syncValuesFromReply,
} from "./sync.ts";
export { assertChildVersion, compareVersions, isChildOutdated, MIN_CHILD_VERSION } from "./version.ts";
