#pragma once

#include "Profile.h"

#include <QList>
#include <QString>

namespace moltdesk {

// The part of a profile a problem is about: the profile dialog marks that field, tests compare it.
enum class ProfileField {
    Whole, // the file itself (not JSON, not an object)
    File,  // where the profile is saved
    Environments,
    IncludeLegacy,
    Naming,
    Wrangler,
    StartScript,
    CaBundle,
    BucketNames,
    Workers,
    WorkersDevSubdomain,
    Storage, // "storage" itself, or its type
    Endpoint,
    Region,
    MountRoot,
    SyncSets, // "syncSets", or the "layout" they default to
    Exclude,
    StaleAfterHours,
};

struct ProfileProblem
{
    ProfileField field = ProfileField::Whole;
    QString message; // for people, without the file and line
};

// A profile value checked as it would be saved: `profile` is what loading the saved file gives (paths
// absolute, prefixes ending in '/'); it is meaningful when there are no problems.
struct ProfileCheck
{
    Profile profile;
    QList<ProfileProblem> problems;

    bool ok() const { return problems.isEmpty(); }
};

// Checks a profile by the loader's own rules (written with Profile::toJson and read back with
// Profile::parse, so the dialog and moltctl never disagree), and then for what a saved profile needs
// on top of what loading accepts: a file to be saved in, an environment (or a wrangler.jsonc to take
// them from) and a sync set. `draft.directory` is the folder its relative paths resolve against.
ProfileCheck checkProfile(const Profile &draft);

// The field a JSON pointer into a profile is about ("/storage/root": MountRoot).
ProfileField profileFieldAt(const QString &pointer);

} // namespace moltdesk
