#pragma once

#include <QFuture>
#include <QMetaObject>
#include <QObject>

namespace moltdesk {

// Hands `future`'s result to `deliver` on `context`'s thread, always through its event loop, never
// inside the call that started the work. QFuture::then(context, f) alone calls f at once, inside
// then(), when the work has already finished (Qt 6 invokes it with Qt::AutoConnection from the
// context's own thread): a request would then answer before it returned, ahead of a newer request's
// generation counter, and both answers would be delivered (seen under load: tst_workspacecontroller).
template <typename T, typename Deliver>
void deliverQueued(QFuture<T> future, QObject *context, Deliver deliver)
{
    future.then(context, [context, deliver](T result) {
        QMetaObject::invokeMethod(
            context, [deliver, result]() { deliver(result); }, Qt::QueuedConnection);
    });
}

} // namespace moltdesk
