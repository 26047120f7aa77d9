/**
 * @module
 * The WordPress users of one simulated child site and the child functions on them (`get_all_users`,
 * `search_users`, `newuser`, `user_action`, `newadminpassword`), answering as MainWP Child 6.1 does in
 * the recorded replies (fixtures 22–34, 66, 67): ids as ints in lists but strings in `users_data`,
 * counts as strings, `"SUCCESS"` for deleting or re-roling a missing user, WordPress's escaped error texts.
 * The accounts map is the site's own (`sim/site.ts` checks logins and passwords against it), so a
 * password changed here is the one `register` then accepts.
 *
 * @example
 * ```ts
 * const accounts = new Map<string, SimAccount>();
 * seedAccount(accounts, "admin", "admin-password", "administrator", "admin@site-1.test");
 * simUsersCall(accounts, "get_all_users", new URLSearchParams("role=administrator")); // [{ id: 1, … }]
 * ```
 */
import { createHash } from "node:crypto";

/** One WordPress user (the map key is the login). */
export interface SimAccount {
  id: number;
  password: string;
  /** The user's role (`""`: none). */
  role: string;
  email: string;
  nicename: string;
  first_name: string;
  last_name: string;
  nickname: string;
  display_name: string;
  url: string;
  description: string;
  /** `Y-m-d H:i:s`, UTC. */
  registered: string;
  posts: number;
}

/** The roles of a default WordPress install (`get_editable_roles`). */
const ROLES = ["administrator", "editor", "author", "contributor", "subscriber"];

const ERR = (text: string) => `&lt;strong&gt;ERROR&lt;/strong&gt;: ${text}`;

const now = () => new Date().toISOString().slice(0, 19).replace("T", " ");

/** WordPress's `sanitize_title` for a login, as `user_nicename` gets it (at most 50 characters). */
function nicenameOf(login: string): string {
  return login.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "").slice(
    0,
    50,
  );
}

/**
 * Adds a user with WordPress's defaults (display name and nickname = login); returns it.
 *
 * @example
 * ```ts
 * seedAccount(accounts, "editor", "pw", "editor", "editor@site-1.test").id; // next id
 * ```
 */
export function seedAccount(
  accounts: Map<string, SimAccount>,
  login: string,
  password: string,
  role: string,
  email: string,
  names: { first_name?: string; last_name?: string; url?: string } = {},
): SimAccount {
  const id = Math.max(0, ...[...accounts.values()].map((a) => a.id)) + 1;
  const first = names.first_name ?? "";
  const last = names.last_name ?? "";
  const display = first && last ? `${first} ${last}` : first || last || login;
  const account: SimAccount = {
    id,
    password,
    role,
    email,
    nicename: nicenameOf(login),
    first_name: first,
    last_name: last,
    nickname: login,
    display_name: display,
    url: names.url ?? "",
    description: "",
    registered: now(),
    posts: 0,
  };
  accounts.set(login, account);
  return account;
}

function avatar(email: string): string {
  const hash = createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
  const src = `https://secure.gravatar.com/avatar/${hash}`;
  return `<img alt='' src='${src}?s=32&#038;d=mm&#038;r=g' srcset='${src}?s=64&#038;d=mm&#038;r=g 2x' ` +
    `class='avatar avatar-32 photo' height='32' width='32' loading='lazy' decoding='async'/>`;
}

/** A user as the child lists it; `role` is the role asked for (get_all_users) or the user's own. */
function userRow(login: string, a: SimAccount, role: string | null, withAvatar = true) {
  return {
    id: a.id,
    login,
    nicename: a.nicename,
    email: a.email,
    registered: a.registered,
    status: "0",
    display_name: a.display_name,
    role: role ?? (a.role === "" ? null : a.role),
    post_count: String(a.posts),
    ...(withAvatar ? { avatar: avatar(a.email) } : {}),
    last_password_change: null,
    password_status: "DISABLED",
    password_due_time: null,
    password_has_recorded_change: false,
  };
}

const byId = (accounts: Map<string, SimAccount>) => [...accounts].sort(([, a], [, b]) => a.id - b.id);

function getAllUsers(accounts: Map<string, SimAccount>, fields: URLSearchParams) {
  if (!fields.has("role")) return [];
  // One entry per (role, user) pair, in the order of the roles asked for; `role=` lists everyone.
  return (fields.get("role") ?? "").split(",").flatMap((role) =>
    byId(accounts).filter(([, a]) => role === "" || a.role === role).map(([l, a]) => userRow(l, a, role))
  );
}

/** WP_User_Query's `search` with `*` wildcards (none: exact), case-insensitive. */
function matches(value: string, search: string): boolean {
  const term = search.replace(/^\*+|\*+$/g, "").toLowerCase();
  const v = value.toLowerCase();
  const lead = search.startsWith("*");
  const trail = search.endsWith("*");
  if (lead && trail) return v.includes(term);
  if (lead) return v.endsWith(term);
  if (trail) return v.startsWith(term);
  return v === term;
}

function searchUsers(accounts: Map<string, SimAccount>, fields: URLSearchParams) {
  const roles = fields.get("role") ?? "";
  const allowed = roles === "" ? null : new Set(getAllUsers(accounts, fields).map((u) => u.id));
  const search = (fields.get("search") ?? "").trim();
  const columns = (fields.get("search_columns") ?? "").split(",").filter((c) => c !== "");
  const found = new Set<number>();
  const out: ReturnType<typeof userRow>[] = [];
  const byLogin = [...accounts].sort(([a], [b]) => a.localeCompare(b));
  for (const column of columns) {
    for (const [login, a] of byLogin) {
      if (found.has(a.id)) continue;
      const value = column === "user_login"
        ? login
        : column === "display_name"
        ? a.display_name
        : column === "user_email"
        ? a.email
        : column === "user_nicename"
        ? a.nicename
        : column === "user_url"
        ? a.url
        : column === "ID"
        ? String(a.id)
        : null;
      if (value === null || (search !== "" && !matches(value, search))) continue;
      if (allowed && !allowed.has(a.id)) continue;
      found.add(a.id);
      out.push(userRow(login, a, null));
    }
  }
  return out;
}

function decodeBase64(text: string): string | null {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

function jsonObject(text: string | null): Record<string, unknown> {
  try {
    const value = text === null ? null : JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** `newuser`: WordPress's `wp_insert_user` checks, then the new user's id, name and role. */
function newUser(accounts: Map<string, SimAccount>, fields: URLSearchParams) {
  const input = jsonObject(decodeBase64(fields.get("new_user") ?? ""));
  const login = str(input.user_login).trim();
  const email = str(input.user_email).trim();
  if (login === "") return { error: "Cannot create a user with an empty login name." };
  if (login.length > 60) return { error: "Username may not be longer than 60 characters." };
  if (accounts.has(login)) return { error: "Sorry, that username already exists!" };
  if (email !== "" && [...accounts.values()].some((a) => a.email.toLowerCase() === email.toLowerCase())) {
    return { error: "Sorry, that email address is already used!" };
  }
  const role = ROLES.includes(str(input.role)) ? str(input.role) : "subscriber";
  const account = seedAccount(accounts, login, str(input.user_pass), role, email, {
    first_name: str(input.first_name),
    last_name: str(input.last_name),
    url: str(input.user_url),
  });
  return {
    added: true,
    other_data: { new_user_data: { user_id: account.id, display_name: account.display_name, roles: role } },
  };
}

function findById(accounts: Map<string, SimAccount>, id: number): [string, SimAccount] | undefined {
  return id > 0 ? [...accounts].find(([, a]) => a.id === id) : undefined;
}

/** `get_user_to_edit` as the child answers it (`public_display` deduplicated as WordPress does). */
function editData(login: string, a: SimAccount) {
  const shown: Record<string, string> = { display_nickname: a.nickname, display_username: login };
  if (a.first_name) shown.display_firstname = a.first_name;
  if (a.last_name) shown.display_lastname = a.last_name;
  if (a.first_name && a.last_name) {
    shown.display_firstlast = `${a.first_name} ${a.last_name}`;
    shown.display_lastfirst = `${a.last_name} ${a.first_name}`;
  }
  const all = Object.values(shown).includes(a.display_name)
    ? shown
    : { display_displayname: a.display_name, ...shown };
  const unique: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    if (!Object.values(unique).includes(v.trim())) unique[k] = v.trim();
  }
  return {
    role: ROLES.includes(a.role) ? a.role : false,
    first_name: a.first_name,
    last_name: a.last_name,
    nickname: a.nickname,
    public_display: unique,
    display_name: a.display_name,
    user_email: a.email,
    user_url: a.url,
    description: a.description,
  };
}

const isEmail = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);

/** The child's `edit_user` (update_user): WordPress's profile checks; `null` when it saved. */
function editUser(
  accounts: Map<string, SimAccount>,
  found: [string, SimAccount] | undefined,
  data: Record<string, string>,
  currentLogin: string,
): string | null {
  const [login, a] = found ?? ["", undefined];
  if ("role" in data && data.role !== "" && !ROLES.includes(data.role)) {
    return "You can&#8217;t give users that role.";
  }
  const errors: string[] = [];
  const pass1 = data.pass1 ?? "";
  const pass2 = data.pass2 ?? "";
  if (pass1 !== "" || pass2 !== "") {
    if (pass1.includes("\\")) errors.push(ERR("Passwords may not contain the character &quot;\\&quot;."));
    if (pass1 !== pass2) errors.push(ERR("Please enter the same password in both password fields."));
  }
  const email = (data.email ?? "").trim() || (a?.email ?? "");
  const owner = [...accounts.values()].find((x) => x.email.toLowerCase() === email.toLowerCase());
  if (email === "") errors.push(ERR("Please enter an email address."));
  else if (!isEmail(email)) errors.push(ERR("The email address isn&#8217;t correct."));
  else if (owner && owner !== a) {
    errors.push(ERR("This email is already registered, please choose another one."));
  }
  if (errors.length > 0) return errors.map((e) => ` ${e}`).join("");
  if (!a) return null; // wp_update_user refuses a missing id with a WP_Error the child does not report
  a.email = email;
  if ("url" in data) {
    a.url = data.url === "" || data.url === "http://"
      ? ""
      : /^[a-z]+:/i.test(data.url)
      ? data.url
      : `http://${data.url}`;
  }
  if ("first_name" in data) a.first_name = data.first_name;
  if ("last_name" in data) a.last_name = data.last_name;
  if (data.nickname) a.nickname = data.nickname;
  if ("display_name" in data) a.display_name = data.display_name;
  if ("description" in data) a.description = data.description.trim();
  if (pass1 !== "") a.password = pass1;
  // An administrator cannot take away their own right to edit users.
  if ("role" in data && (login !== currentLogin || data.role === "administrator")) a.role = data.role;
  return null;
}

/** The `extra[...]` members of a form (update_user), or `null` when `extra` is plain text. */
function extraMap(fields: URLSearchParams): Record<string, string> | null {
  const out: Record<string, string> = {};
  let nested = false;
  for (const [key, value] of fields) {
    const m = /^extra\[([^\]]*)\]$/.exec(key);
    if (m) {
      nested = true;
      out[m[1]] = value;
    }
  }
  return nested ? out : null;
}

function userAction(accounts: Map<string, SimAccount>, fields: URLSearchParams, currentLogin: string) {
  const action = fields.get("action") ?? "";
  const idText = (fields.get("id") ?? "").trim();
  const found = findById(accounts, /^\d+$/.test(idText) ? Number(idText) : 0);
  const actData: Record<string, unknown> = found
    ? { user_id: idText, display_name: found[1].display_name, roles: found[1].role }
    : {};
  const info: Record<string, unknown> = {};
  let failed = false;
  if (action === "delete") {
    if (found) accounts.delete(found[0]);
  } else if (action === "changeRole") {
    const role = fields.get("extra") ?? "";
    if (found && (role === "" || ROLES.includes(role))) found[1].role = role;
    actData.old_roles = null; // the child reads the old roles from a key that never exists
    actData.roles = role;
  } else if (action === "update_password") {
    if (found) found[1].password = fields.get("user_pass") ?? "";
  } else if (action === "edit") {
    if (found) info.user_data = editData(found[0], found[1]);
    else failed = true;
  } else if (action === "update_user") {
    const extra = extraMap(fields);
    if (extra) {
      const data = Object.fromEntries(
        Object.entries(extra).filter(([k, v]) =>
          v !== "donotupdate" && (v !== "" && v !== "0" || k === "role")
        ),
      );
      const error = editUser(accounts, found, data, currentLogin);
      if (error !== null) info.error = error;
    } else failed = true;
  } else failed = true;
  if (failed) info.status = "FAIL";
  if (!("status" in info) && !("error" in info)) {
    info.status = "SUCCESS";
    if (action === "update_user" && !["", "0"].includes(fields.get("optimize") ?? "")) {
      info.users = byId(accounts).slice(0, 500).map(([l, a]) => userRow(l, a, null, false));
    }
  }
  info.other_data = { users_data: Object.keys(actData).length > 0 ? actData : [] };
  return info;
}

function newAdminPassword(accounts: Map<string, SimAccount>, fields: URLSearchParams) {
  const login = fields.get("user") ?? "";
  const account = accounts.get(login);
  if (!account) return [];
  const password = decodeBase64(fields.get("new_password") ?? "") ?? "";
  if (password !== "") account.password = password;
  return {
    added: true,
    other_data: {
      update_admin_password: { display_name: account.display_name, user_id: account.id, roles: account.role },
    },
  };
}

/**
 * Runs one of the child's user functions on the site's accounts; `null` for any other function.
 *
 * @example
 * ```ts
 * simUsersCall(accounts, "newuser", fields); // { added: true, other_data: { new_user_data: … } }
 * ```
 */
export function simUsersCall(
  accounts: Map<string, SimAccount>,
  fn: string,
  fields: URLSearchParams,
): Record<string, unknown> | unknown[] | null {
  const current = fields.get("user") ?? "";
  switch (fn) {
    case "get_all_users":
      return getAllUsers(accounts, fields);
    case "search_users":
      return searchUsers(accounts, fields);
    case "newuser":
      return newUser(accounts, fields);
    case "user_action":
      return userAction(accounts, fields, current);
    case "newadminpassword":
      return newAdminPassword(accounts, fields);
    default:
      return null;
  }
}
