#include "FolderObjects.h"

#include <QSet>
#include <algorithm>

namespace moltdesk {

bool FolderObjects::isFolderObject(const ObjectInfo &object)
{
    // A key ending in '/' with content is not something s3fs wrote: it stays an object, and restore
    // refuses it as a file name with a reason, instead of silently dropping its bytes.
    return object.size == 0 && !folderOf(object.key).isEmpty();
}

QString FolderObjects::folderOf(const QString &key)
{
    if (key.endsWith(QLatin1Char('/')) && key.size() > 1)
        return key;
    if (key.endsWith(kLegacySuffix) && key.size() > kLegacySuffix.size())
        return key.chopped(kLegacySuffix.size()) + QLatin1Char('/');
    return {};
}

void FolderObjects::separate(Listing &listing, const ListRequest &request)
{
    // In place: a listing of 100,000 objects is not copied to drop a few folder objects (or none).
    const auto first = std::find_if(listing.objects.cbegin(), listing.objects.cend(), isFolderObject);
    if (first == listing.objects.cend())
        return;
    QSet<QString> prefixes(listing.commonPrefixes.cbegin(), listing.commonPrefixes.cend());
    qsizetype kept = first - listing.objects.cbegin();
    for (qsizetype i = kept; i < listing.objects.size(); ++i) {
        ObjectInfo &o = listing.objects[i];
        if (!isFolderObject(o)) {
            listing.objects[kept++] = std::move(o);
            continue;
        }
        const QString folder = folderOf(o.key);
        // Browsing folder by folder: the legacy form sits beside its folder, so it names a subfolder of
        // the listed one. (The '/' form of a subfolder is inside it and already a common prefix.)
        if (!request.delimiter.isEmpty() && folder != request.prefix && folder.startsWith(request.prefix) &&
            !prefixes.contains(folder)) {
            prefixes.insert(folder);
            listing.commonPrefixes.append(folder);
        }
        listing.folderObjects.append(std::move(o));
    }
    listing.objects.resize(kept);
    std::sort(listing.commonPrefixes.begin(), listing.commonPrefixes.end());
}

} // namespace moltdesk
