#pragma once

#include <QLoggingCategory>

// One category per module, so an operator can turn on e.g.
// QT_LOGGING_RULES="moltdesk.sync.debug=true" without drowning in everything else.
Q_DECLARE_LOGGING_CATEGORY(lcNaming)
Q_DECLARE_LOGGING_CATEGORY(lcConfig)
Q_DECLARE_LOGGING_CATEGORY(lcCredentials)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcS3)
Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcMount)
Q_DECLARE_LOGGING_CATEGORY(lcSync)
Q_DECLARE_LOGGING_CATEGORY(lcRestore)
Q_DECLARE_LOGGING_CATEGORY(lcMigrate)
Q_DECLARE_LOGGING_CATEGORY(lcAudit)
Q_DECLARE_LOGGING_CATEGORY(lcStatus)
Q_DECLARE_LOGGING_CATEGORY(lcCompare)
