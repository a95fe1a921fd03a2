#pragma once

#include "Result.h"

#include <QHash>
#include <QJsonValue>

namespace moltdesk {

// A parsed JSON-with-comments document (wrangler.jsonc, profiles): the value and, for every member,
// the line it starts on, keyed by JSON pointer ("/env/production/vars"), so findings can name the line.
struct JsoncDocument
{
    QJsonValue root;
    QHash<QString, int> lines;
    QHash<QString, int> order; // position of each member in the file, for file-order iteration

    int lineOf(const QString &pointer) const { return lines.value(pointer, 0); }
};

class Jsonc
{
public:
    static constexpr qsizetype kMaxBytes = 8 * 1024 * 1024;
    static constexpr int kMaxDepth = 64;

    // Accepts // and /* */ comments and trailing commas; a comment marker inside a string is text.
    // Errors name the line and column.
    static Result<JsoncDocument> parse(const QByteArray &text, const QString &sourceName = {});
    static Result<JsoncDocument> parseFile(const QString &path);

    static QString escapePointerToken(const QString &token);

    // The bytes of a configuration file (profile, wrangler.jsonc), refused with a clear message when it
    // cannot be read or is larger than any configuration is (a wrong path to a log or an image).
    // `what` names the file for the message: "profile", "wrangler config".
    static Result<QByteArray> readConfigFile(const QString &path, const QString &what);
};

} // namespace moltdesk
