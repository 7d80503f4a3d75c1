// RAII ownership of Cairo handles for the PDF stage.
#pragma once

#include <cairo-pdf.h>
#include <cairo.h>

#include <memory>

namespace warraq::pdf {

struct SurfaceDestroy {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;

struct ContextDestroy {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
using ContextPtr = std::unique_ptr<cairo_t, ContextDestroy>;

}  // namespace warraq::pdf
