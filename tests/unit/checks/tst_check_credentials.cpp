// The "credentials" check (core/audit/checks/CredentialsCheck.cpp) in each of its states: passes, fails (or
// warns) and cannot run, on the mount-mode fixture of tests/unit/AuditFixture.h.
#include "AuditFixture.h"

using namespace moltdesk::test;

class TestCheckCredentials : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void states_data() { addCheckStateRows(QStringLiteral("credentials")); }
    void states() { runCheckState(); }
};

QTEST_GUILESS_MAIN(TestCheckCredentials)
#include "tst_check_credentials.moc"
