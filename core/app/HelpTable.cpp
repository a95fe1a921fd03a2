#include "HelpTable.h"

namespace moltdesk {

const HelpCommand *ProgramHelp::command(const QStringList &words) const
{
    const QString name = words.join(QLatin1Char(' '));
    for (const HelpCommand &c : commands)
        if (c.name == name)
            return &c;
    return nullptr;
}

QList<const HelpCommand *> ProgramHelp::group(const QString &word) const
{
    QList<const HelpCommand *> out;
    for (const HelpCommand &c : commands)
        if (!c.hidden && c.name.section(QLatin1Char(' '), 0, 0) == word)
            out << &c;
    return out;
}

QStringList ProgramHelp::commandWords() const
{
    QStringList out;
    for (const HelpCommand &c : commands) {
        const QString w = c.name.section(QLatin1Char(' '), 0, 0);
        if (!c.hidden && !out.contains(w))
            out << w;
    }
    return out;
}

namespace {

// Options several commands share, so that their wording is the same everywhere.
HelpOption jsonOption()
{
    return {QStringLiteral("--json"), {}, QStringLiteral("print the result as JSON on standard output")};
}
HelpOption dryRunOption()
{
    return {
        QStringLiteral("--dry-run"), {}, QStringLiteral("plan only: show what would change, change nothing")};
}
HelpOption confirmOption()
{
    return {QStringLiteral("--confirm"), QStringLiteral("ENV"),
            QStringLiteral("name the target environment again; required when it is production")};
}
HelpOption timeoutOption()
{
    return {QStringLiteral("--timeout"), QStringLiteral("S"),
            QStringLiteral("seconds to wait for the worker, 1 to 3600")};
}
HelpOption concurrencyOption()
{
    return {QStringLiteral("--concurrency"), QStringLiteral("N"),
            QStringLiteral("transfers at once, 1 to 128 (default: chosen by the storage)")};
}

QList<HelpCommand> moltctlCommands()
{
    return {
        {QStringLiteral("status"),
         {},
         QStringLiteral(
             "bucket, mount path, instance, credentials, reachability, last sync, usage per prefix"),
         QStringLiteral(
             "Shows every environment of the profile at once: its bucket, mount path and instance, where "
             "its credentials come from, whether the bucket is reachable, its last sync (and whether it "
             "is stale), its usage per prefix and its identity marker. Reads only."),
         {jsonOption()}},
        {QStringLiteral("ls"),
         QStringLiteral("ENV [PREFIX]"),
         QStringLiteral("what a bucket holds (key, size, modified, ETag)"),
         QStringLiteral("Lists the objects in ENV's bucket, optionally only those under PREFIX. Reads only."),
         {jsonOption()}},
        {QStringLiteral("sync"),
         QStringLiteral("ENV"),
         QStringLiteral("back up the profile's sync sets into ENV's bucket"),
         QStringLiteral(
             "Mirrors the profile's sync sets into ENV's bucket, deletions included: plans first, then "
             "uploads, deletes only after every upload succeeded and writes .last-sync last. Refuses "
             "(exit 3) an empty or incomplete source, too many deletions, a bucket marked as another "
             "environment's and production without --confirm production."),
         {dryRunOption(),
          jsonOption(),
          {QStringLiteral("--no-delete"),
           {},
           QStringLiteral("upload and replace only: keep what exists only in the bucket")},
          {QStringLiteral("--max-delete"), QStringLiteral("N|unlimited"),
           QStringLiteral(
               "refuse a plan deleting more objects (default: 25% of the synced objects, at least 5)")},
          concurrencyOption(),
          {QStringLiteral("--hash-cache"), QStringLiteral("FILE"),
           QStringLiteral("the local hash cache (default: in the user's cache folder)")},
          confirmOption()}},
        {QStringLiteral("restore"),
         QStringLiteral("ENV"),
         QStringLiteral("restore ENV's bucket into DIR (staged, verified)"),
         QStringLiteral(
             "Downloads ENV's bucket into a staging folder next to DIR, verifies every object, then "
             "swaps it in; a failed or cancelled restore leaves DIR as it was. Restores only when the "
             "bucket's .last-sync is newer than DIR's (or DIR has none), unless --force."),
         {{QStringLiteral("--to"), QStringLiteral("DIR"), QStringLiteral("the folder to restore into"), true},
          {QStringLiteral("--force"), {}, QStringLiteral("restore even when DIR's last sync is not older")},
          {QStringLiteral("--backup-dir"), QStringLiteral("DIR"),
           QStringLiteral("keep the files being replaced in DIR")},
          dryRunOption(),
          jsonOption(),
          concurrencyOption(),
          confirmOption()}},
        {QStringLiteral("migrate"),
         QStringLiteral("ENV"),
         QStringLiteral("copy the legacy bucket into ENV's bucket"),
         QStringLiteral(
             "Copies the legacy bucket (moltbot-data) into ENV's bucket, each copy verified; identical "
             "objects are skipped, different ones are conflicts that stop the migration unless "
             "--overwrite. The source is never modified; a re-run copies only what is missing."),
         {{QStringLiteral("--overwrite"), {}, QStringLiteral("replace objects that differ in the target")},
          {QStringLiteral("--report"), QStringLiteral("FILE"),
           QStringLiteral("also write the JSON report to FILE")},
          dryRunOption(),
          jsonOption(),
          concurrencyOption(),
          confirmOption()}},
        {QStringLiteral("verify"),
         {},
         QStringLiteral("isolation audit (credentials x buckets, paths, markers, leaks)"),
         QStringLiteral(
             "Audits environment isolation end to end: which credentials reach which buckets, mount "
             "paths, identity markers and leaks between environments. Exit 0 only when every check ran "
             "and passed, 1 when a failure is found, 4 when nothing failed but some check could not run."),
         {{QStringLiteral("--probe-write"),
           {},
           QStringLiteral("also check write access by writing and removing a probe object")},
          {QStringLiteral("--live"),
           {},
           QStringLiteral("trigger each worker's backup and check that only its own bucket changed")},
          {QStringLiteral("--confirm"), QStringLiteral("ENV"),
           QStringLiteral("with --live: also trigger production's backup (--confirm production)")},
          jsonOption()}},
        {QStringLiteral("compare"),
         QStringLiteral("A B"),
         QStringLiteral("two environments' buckets key by key: only in A, only in B, differ, identical"),
         QStringLiteral("Lists both buckets, each with its own credentials, and compares them key by key as "
                        "rclone check does; equal sizes without a checksum are settled by the object's "
                        "metadata or content. Identical sensitive files are marked. Reads only."),
         {{QStringLiteral("--all"), {}, QStringLiteral("also list the identical keys")}, jsonOption()}},
        {QStringLiteral("stamp"),
         QStringLiteral("ENV"),
         QStringLiteral("write the bucket's identity marker"),
         QStringLiteral("Writes .moltdesk-environment into ENV's bucket; refuses (exit 3) a bucket already "
                        "marked as another environment's, and one whose marker cannot be read unless "
                        "--force."),
         {{QStringLiteral("--force"),
           {},
           QStringLiteral("replace a marker that cannot be read (look at it first: it is evidence)")},
          confirmOption()}},
        {QStringLiteral("credentials set"),
         QStringLiteral("ENV"),
         QStringLiteral("store keys in the OS keychain (read from stdin, never from arguments)"),
         QStringLiteral(
             "Reads R2_ACCESS_KEY_ID=..., R2_SECRET_ACCESS_KEY=... and optionally CF_ACCOUNT_ID=... "
             "from standard input and stores them in the OS keychain for ENV."),
         {}},
        {QStringLiteral("init-demo"),
         QStringLiteral("DIR"),
         QStringLiteral("create a local demo workspace"),
         QStringLiteral("Creates a demo workspace in DIR (mount-mode storage, no cloud account needed) and "
                        "prints its profile's path."),
         {}},
        {QStringLiteral("worker status"),
         QStringLiteral("[ENV]"),
         QStringLiteral("the deployment: gateway, R2 configured, container's vs bucket's last sync, devices"),
         QStringLiteral("Asks each environment's worker (or ENV's) for its gateway, R2 configuration, the "
                        "container's last sync and devices, next to the bucket's own .last-sync."),
         {jsonOption(), timeoutOption()}},
        {QStringLiteral("worker sync"),
         QStringLiteral("ENV"),
         QStringLiteral("back up in the container, then check the bucket holds what it claims"),
         QStringLiteral(
             "Triggers the container's own backup through the worker's admin API, then re-reads the "
             "bucket from outside; a claimed backup its bucket does not show is a failure."),
         {jsonOption(), timeoutOption(), confirmOption()}},
        {QStringLiteral("worker restart"),
         QStringLiteral("ENV"),
         QStringLiteral("restart the gateway (the container restores from R2)"),
         QStringLiteral("Restarts the gateway; its start script restores from R2. With --wait, polls "
                        "/api/status until it runs again."),
         {{QStringLiteral("--wait"), {}, QStringLiteral("poll until the gateway runs again")},
          jsonOption(),
          timeoutOption(),
          confirmOption()}},
        {QStringLiteral("worker check-persistence"),
         QStringLiteral("ENV"),
         QStringLiteral("paired devices before = after a backup and a restart"),
         QStringLiteral("The seed's \"verify data persistence\" procedure: records the paired devices, backs "
                        "up, restarts, waits, and compares."),
         {jsonOption(), timeoutOption(), confirmOption()}},
        {QStringLiteral("worker token set"),
         QStringLiteral("ENV"),
         QStringLiteral("store the Cloudflare Access service token in the keychain (stdin)"),
         QStringLiteral(
             "Reads CF_ACCESS_CLIENT_ID=... and CF_ACCESS_CLIENT_SECRET=... from standard input and "
             "stores them in the OS keychain for ENV."),
         {}},
        {QStringLiteral("help"),
         QStringLiteral("[COMMAND]"),
         QStringLiteral("print this help, or COMMAND's"),
         QStringLiteral("Prints the list of commands, or COMMAND's options (the same as COMMAND --help)."),
         {}},
        {QStringLiteral("__complete envs"),
         {},
         QStringLiteral("the profile's environment names, one a line"),
         QStringLiteral("For shell completion."),
         {},
         true},
    };
}

QList<HelpSection> moltctlSections()
{
    return {
        {QStringLiteral("ENVIRONMENTS"),
         QStringLiteral(
             "ENV is an environment name, or \"legacy\" for the environment without ENVIRONMENT. "
             "Any action that writes to production's bucket or restarts it needs --confirm production."),
         {}},
        {QStringLiteral("PROFILE"),
         QStringLiteral("The profile is --profile FILE, else $MOLTDESK_PROFILE, else ./moltdesk.json."),
         {}},
        {QStringLiteral("EXIT STATUS"),
         {},
         {{QStringLiteral("0"), QStringLiteral("success (for verify: every check ran and passed)")},
          {QStringLiteral("1"), QStringLiteral("the operation failed (for verify: at least one failure)")},
          {QStringLiteral("2"), QStringLiteral("bad usage, configuration or input")},
          {QStringLiteral("3"), QStringLiteral("refused by a safety guard")},
          {QStringLiteral("4"), QStringLiteral("verify only: no failure, but some check could not run")}}},
        {QStringLiteral("CREDENTIALS"),
         QStringLiteral("Per environment, in this order: the OS keychain (moltctl credentials set ENV); "
                        ".dev.vars.ENV, then .dev.vars, next to the profile (R2_ACCESS_KEY_ID, "
                        "R2_SECRET_ACCESS_KEY, CF_ACCOUNT_ID); the process environment. Secrets are never "
                        "printed, logged or written to plain files."),
         {},
         false},
        {QStringLiteral("ENVIRONMENT"),
         {},
         {{QStringLiteral("MOLTDESK_PROFILE"), QStringLiteral("the profile when --profile is not given")},
          {QStringLiteral("R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, CF_ACCOUNT_ID"),
           QStringLiteral("credentials, the last place looked in (see CREDENTIALS)")},
          {QStringLiteral("QT_LOGGING_RULES"),
           QStringLiteral(
               "debug output per module, e.g. moltdesk.sync.debug=true (secrets are never logged)")}},
         false},
        {QStringLiteral("SEE ALSO"), QStringLiteral("moltdesk(1)"), {}, false},
    };
}

} // namespace

const ProgramHelp &moltctlHelp()
{
    static const ProgramHelp help{
        QStringLiteral("moltctl"),
        QStringLiteral("back up, restore, migrate and audit isolated R2 environments of Moltbot/OpenClaw"),
        QStringLiteral("COMMAND [ARGS]"),
        QStringLiteral(
            "moltctl is the command-line twin of moltdesk(1): for every environment of a Moltbot/OpenClaw "
            "deployment on Cloudflare (its own R2 bucket moltbot-data-ENV mounted at "
            "/data/moltbot-ENV) it shows the status, runs sync (backup), restore and the migration of "
            "the legacy bucket, each planned first, and verifies isolation."),
        {{QStringLiteral("--profile"), QStringLiteral("FILE"), QStringLiteral("the profile (see PROFILE)")},
         {QStringLiteral("--no-keychain"),
          {},
          QStringLiteral("do not look for credentials in the OS keychain")},
         {QStringLiteral("--help"), {}, QStringLiteral("print this help (COMMAND --help: that command's)")},
         {QStringLiteral("--version"), {}, QStringLiteral("print the version and Qt's")}},
        moltctlCommands(),
        moltctlSections()};
    return help;
}

const ProgramHelp &moltdeskHelp()
{
    static const ProgramHelp help{
        QStringLiteral("moltdesk"),
        QStringLiteral("see and act on R2 environment isolation for Moltbot/OpenClaw deployments"),
        {},
        QStringLiteral(
            "moltdesk is a desktop app for the operators of Moltbot/OpenClaw deployments on "
            "Cloudflare. It shows, for every environment, the bucket, mount path, last sync and what "
            "the bucket holds, runs sync (backup), restore and the migration of the legacy bucket, "
            "each planned first, and verifies isolation. Without --profile it opens a local demo "
            "workspace. Qt's standard options (such as -platform and -geometry) are accepted too."),
        {{QStringLiteral("--profile"), QStringLiteral("FILE"),
          QStringLiteral("open the profile FILE (default: the demo workspace)"), false, QStringLiteral("-p")},
         {QStringLiteral("--help"), {}, QStringLiteral("print this help"), false, QStringLiteral("-h")},
         {QStringLiteral("--version"),
          {},
          QStringLiteral("print the version and Qt's"),
          false,
          QStringLiteral("-v")}},
        {},
        {{QStringLiteral("SEE ALSO"), QStringLiteral("moltctl(1)"), {}, false}}};
    return help;
}

} // namespace moltdesk
