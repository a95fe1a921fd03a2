#pragma once

#include "StorageBackend.h"

#include <QStringList>

namespace moltdesk {

// What "Download…" in the browser did: files written, bytes, files that already existed (never
// overwritten) and the errors, per key.
struct DownloadSummary
{
    QString target; // the local path of the file or folder downloaded
    int files = 0;
    qint64 bytes = 0;
    QStringList existing;
    QList<Error> errors;

    bool ok() const { return errors.isEmpty(); }
    QString summaryLine() const;
};

// Downloads one object, or everything under a prefix ('/'-terminated), into `directory`: an object
// lands as directory/<its name>, a folder as directory/<folder name>/<the rest of each key>. Keys
// that would leave the directory are refused (KeyPath), existing files are kept and reported, and
// every file is verified against the listing's size before it appears (StorageBackend::download).
// Blocking: call it from a worker thread.
DownloadSummary downloadInto(StorageBackend &backend, const QString &keyOrPrefix, const QString &directory,
                             const CancelToken &cancel = {});

} // namespace moltdesk
