#include "ProfileCheck.h"

#include <QDir>
#include <QFileInfo>

namespace moltdesk {

ProfileField profileFieldAt(const QString &pointer)
{
    // The longest entry that is the pointer or one of its parents wins: "/storage/root" before "/storage".
    static const QList<std::pair<QLatin1String, ProfileField>> fields = {
        {QLatin1String("/environments"), ProfileField::Environments},
        {QLatin1String("/includeLegacy"), ProfileField::IncludeLegacy},
        {QLatin1String("/naming"), ProfileField::Naming},
        {QLatin1String("/wrangler"), ProfileField::Wrangler},
        {QLatin1String("/startScript"), ProfileField::StartScript},
        {QLatin1String("/caBundle"), ProfileField::CaBundle},
        {QLatin1String("/bucketNames"), ProfileField::BucketNames},
        {QLatin1String("/workers"), ProfileField::Workers},
        {QLatin1String("/workersDevSubdomain"), ProfileField::WorkersDevSubdomain},
        {QLatin1String("/storage"), ProfileField::Storage},
        {QLatin1String("/storage/endpoint"), ProfileField::Endpoint},
        {QLatin1String("/storage/region"), ProfileField::Region},
        {QLatin1String("/storage/root"), ProfileField::MountRoot},
        {QLatin1String("/syncSets"), ProfileField::SyncSets},
        {QLatin1String("/layout"), ProfileField::SyncSets},
        {QLatin1String("/exclude"), ProfileField::Exclude},
        {QLatin1String("/staleAfterHours"), ProfileField::StaleAfterHours},
    };
    ProfileField found = ProfileField::Whole;
    qsizetype longest = 0;
    for (const auto &[prefix, field] : fields) {
        const bool within = pointer == prefix || pointer.startsWith(QString(prefix) + QLatin1Char('/'));
        if (within && prefix.size() > longest) {
            found = field;
            longest = prefix.size();
        }
    }
    return found;
}

namespace {

// What the dialog cannot save although loading would accept it.
QList<ProfileProblem> completenessProblems(const Profile &p)
{
    QList<ProfileProblem> problems;
    if (p.environments.isEmpty() && p.wranglerPath.isEmpty())
        problems.append(
            {ProfileField::Environments,
             QStringLiteral("List at least one environment, or import them from a wrangler.jsonc.")});
    if (p.syncSets.isEmpty())
        problems.append(
            {ProfileField::SyncSets, QStringLiteral("Add at least one sync set: a local folder and "
                                                    "the bucket prefix it is backed up under.")});
    if (p.path.isEmpty())
        problems.append({ProfileField::File, QStringLiteral("Choose where to save the profile (Browse…).")});
    return problems;
}

} // namespace

ProfileCheck checkProfile(const Profile &draft)
{
    // The file's name only labels the parse (and gives the folder paths resolve against): nothing is read.
    const QString label = draft.path.isEmpty()
                              ? QDir(draft.directory).absoluteFilePath(QStringLiteral("profile.json"))
                              : draft.path;
    ProfileCheck check;
    ProfileProblem refused;
    Result<Profile> parsed = Profile::parse(draft.toJson(), label, &refused);
    if (!parsed) {
        check.problems.append(refused);
        check.problems += completenessProblems(draft);
        return check;
    }
    check.profile = parsed.value();
    check.profile.path = draft.path;
    check.problems = completenessProblems(check.profile);
    return check;
}

} // namespace moltdesk
