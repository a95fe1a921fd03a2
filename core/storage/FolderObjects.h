#pragma once

#include "ObjectInfo.h"

namespace moltdesk {

// Folder objects: the zero-byte keys s3fs writes for every folder ("clawdbot/", "clawdbot/devices/")
// and the "<name>_$folder$" form of very old s3fs (and Hadoop). They stand for folders, not files:
// they hold no data, so they are never counted, restored, compared or deleted as objects. Deleting one
// would change what a container sees through its s3fs mount (a folder without its object shows with
// other permissions and a 1969 date), so sync leaves them alone. This is the one place that rule lives.
class FolderObjects
{
public:
    static constexpr QLatin1String kLegacySuffix{"_$folder$"};

    // True when the object is a folder object by s3fs's conventions (zero bytes, either form).
    static bool isFolderObject(const ObjectInfo &object);
    // The folder a folder object stands for, as a prefix ending in '/' ("clawdbot/" for both
    // "clawdbot/" and "clawdbot_$folder$"); empty when `key` is not in a folder object's form.
    static QString folderOf(const QString &key);

    // Moves the folder objects of a listing out of `objects` into `folderObjects`. For a delimiter
    // listing, a legacy "<name>_$folder$" at the listed level shows as the folder "<name>/" (a folder
    // that holds no object yet is still a folder), and the listed folder's own object disappears.
    static void separate(Listing &listing, const ListRequest &request);
};

} // namespace moltdesk
