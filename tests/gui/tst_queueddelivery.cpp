// deliverQueued: a result reaches its receiver through the receiver's event loop, never inside the
// call that asked for it, even when the work has already finished (QFuture::then(context, f) alone
// runs f at once then, which let a superseded result past WorkspaceController's generation check).
#include "QueuedDelivery.h"

#include <QCoreApplication>
#include <QTest>

using namespace moltdesk;

class TstQueuedDelivery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void finishedWorkIsDeliveredLater();
    void nothingIsDeliveredToAReceiverGone();
};

void TstQueuedDelivery::finishedWorkIsDeliveredLater()
{
    QObject receiver;
    QList<int> delivered;
    deliverQueued(QtFuture::makeReadyFuture(42), &receiver, [&delivered](int v) { delivered << v; });
    QVERIFY2(delivered.isEmpty(), "delivered inside the call that asked for it");
    QTRY_COMPARE(delivered, QList<int>{42});
}

void TstQueuedDelivery::nothingIsDeliveredToAReceiverGone()
{
    QList<int> delivered;
    {
        QObject receiver;
        deliverQueued(QtFuture::makeReadyFuture(7), &receiver, [&delivered](int v) { delivered << v; });
    }
    QCoreApplication::processEvents();
    QTest::qWait(50);
    QVERIFY(delivered.isEmpty());
}

QTEST_GUILESS_MAIN(TstQueuedDelivery)
#include "tst_queueddelivery.moc"
