#pragma once

#include "Result.h"

#include <QMap>
#include <QString>

namespace moltdesk {

// The dotenv dialect wrangler reads for `.dev.vars` files: KEY=VALUE lines, optional `export`,
// '#' comments, single quotes literal, double quotes with \n escapes, blank values allowed.
class DotEnv
{
public:
    static constexpr qsizetype kMaxBytes = 1024 * 1024;
    static Result<QMap<QString, QString>> parse(const QByteArray &text, const QString &sourceName = {});
    static Result<QMap<QString, QString>> load(const QString &path);
};

} // namespace moltdesk
