#pragma once

#include "EnvironmentStatus.h"

#include <QDateTime>
#include <QString>
#include <optional>

namespace moltdesk {

// What the Overview tab says about one environment, as the HTML its QTextBrowser shows. Pure: the
// same inputs give the same string, so it is tested as text. `status` is nullopt until collected;
// `updating` says a collection is running; `now` dates the last sync ("4 min ago"). Links use the
// `moltdesk:` scheme (`moltdesk:stamp`, `moltdesk:credentials`), which OverviewPanel turns into requests.
QString overviewHtml(const EnvironmentNames &names, const std::optional<EnvironmentStatus> &status,
                     bool updating, const QDateTime &now);

// The overview with nothing selected.
QString overviewPlaceholderHtml();

} // namespace moltdesk
