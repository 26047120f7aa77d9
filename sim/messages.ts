/**
 * @module
 * The simulated child's texts: its error messages, exactly as MainWP Child writes them, and the names of
 * the functions it knows.
 *
 * @example
 * ```ts
 * KNOWN_FUNCTIONS.has("stats"); // true
 * MESSAGES.authFailed; // "Authentication failed! …"
 * ```
 */

/** Messages exactly as the child writes them (already HTML-escaped). */
export const MESSAGES = {
  REG_ERROR1:
    'Public key could not be set. Please make sure that the OpenSSL library has been configured correctly on your MainWP Dashboard. For additional help, please check this <strong><a href="https://docs.mainwp.com/troubleshooting/potential-issues" target="_blank">help document</a></strong>.',
  REG_ERROR2:
    "Public key already set. Please deactivate &amp; reactivate the MainWP Child plugin on the child site and try again.",
  REG_ERROR3:
    "This child site is set to require a unique security ID. Please enter it before the connection can be established.",
  REG_ERROR4: "The unique security ID mismatch! Please correct it before the connection can be established.",
  REG_ERROR7:
    "Unable to connect to the site. Please verify that your Admin Username and Password are correct and try again.",
  REG_ERROR8: "Administrator user does not exist. Please verify that the user is an existing administrator.",
  REG_ERROR9: "User is not an administrator. Please use an administrator user to establish the connection.",
  REG_ERROR10:
    "Your current MainWP Dashboard version is not compatible with the new connection protocol. To add a site using Password Authentication, please update the MainWP Dashboard to the latest version.",
  reconnect_failed: "Failed to reconnect to the site. Please remove the site and add it again.",
  authFailed:
    "Authentication failed! Please deactivate and re-activate the MainWP Child plugin on this site.",
  sha1Refused:
    "To use OPENSSL_ALGO_SHA1 OpenSSL signature algorithm. Please deactivate &amp; reactivate the MainWP Child plugin on the child site and try again.",
  unknownUser: "Unexisting administrator user. Please verify that it is an existing administrator.",
  notAdmin: "User not administrator. Please use an administrator user to establish the connection.",
  incompatible:
    "Required version has not been detected. Please, make sure that you are using the latest version of the MainWP Child plugin on your site.",
  alreadyLinked:
    "This site already contains a link. Please deactivate and reactivate the MainWP plugin.<br/>Hint: Go to the child site, deactivate and reactivate the MainWP Child plugin and try again.",
  invalidRequest: "Invalid request!",
} as const;

/** Every function name the real child knows (MainWP_Child_Callable). */
export const KNOWN_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    "stats upgrade newpost deactivate newuser newadminpassword installplugintheme " +
    "upgradeplugintheme upgradetranslation backup backup_checkpid cloneinfo security securityFix " +
    "securityUnFix post_action get_all_posts comment_action comment_bulk_action get_all_comments " +
    "get_all_themes theme_action get_all_plugins plugin_action get_all_pages get_all_users " +
    "user_action search_users maintenance_site branding_child_plugin code_snippet uploader_action " +
    "wordpress_seo client_report createBackupPoll page_speed woo_com_status links_checker " +
    "wordfence delete_backup update_values ithemes updraftplus backup_wp backwpup wp_rocket " +
    "settings_tools skeleton_key bulk_settings_manager custom_post_type backup_buddy " +
    "get_site_icon vulner_checker wp_staging disconnect time_capsule extra_excution " +
    "extra_execution wpvivid_backuprestore check_abandoned wp_seopress db_updater " +
    "cache_purge_action jetpack_protect jetpack_scan delete_actions verify_action " +
    "api_backups_mysqldump patchstack password_policy_settings clean_up_child_logs"
  ).split(" "),
);
