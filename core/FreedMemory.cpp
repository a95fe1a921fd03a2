#include "FreedMemory.h"

// <malloc.h> first: it brings <features.h>, which is what defines __GLIBC__. Tested before any C
// library header, __GLIBC__ is never defined and the call below silently compiles to nothing.
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

namespace moltdesk {

void returnFreedMemory()
{
#ifdef __GLIBC__
    ::malloc_trim(0);
#endif
}

} // namespace moltdesk
