// RAII ownership of the GLib/Pango/fontconfig objects the typesetter holds. Private to
// engine/typeset: every C handle is released in exactly one place.
#pragma once

#include <fontconfig/fontconfig.h>
#include <pango/pango.h>

#include <hb.h>

#include <memory>

namespace warraq::typeset {

struct GObjectUnref {
  void operator()(gpointer object) const {
    if (object) g_object_unref(object);
  }
};
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct AttrListUnref {
  void operator()(PangoAttrList* list) const { pango_attr_list_unref(list); }
};
using AttrListPtr = std::unique_ptr<PangoAttrList, AttrListUnref>;

struct FontDescriptionFree {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
using FontDescriptionPtr = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;

struct GlyphStringFree {
  void operator()(PangoGlyphString* g) const { pango_glyph_string_free(g); }
};
using GlyphStringPtr = std::unique_ptr<PangoGlyphString, GlyphStringFree>;

struct ItemFree {
  void operator()(PangoItem* item) const { pango_item_free(item); }
};
using ItemPtr = std::unique_ptr<PangoItem, ItemFree>;

struct FcConfigRelease {
  void operator()(FcConfig* config) const { ::FcConfigDestroy(config); }
};
using FcConfigPtr = std::unique_ptr<FcConfig, FcConfigRelease>;

struct FcPatternRelease {
  void operator()(FcPattern* p) const { ::FcPatternDestroy(p); }
};
using FcPatternPtr = std::unique_ptr<FcPattern, FcPatternRelease>;

struct FcFontSetRelease {
  void operator()(FcFontSet* s) const { ::FcFontSetDestroy(s); }
};
using FcFontSetPtr = std::unique_ptr<FcFontSet, FcFontSetRelease>;

struct FcObjectSetRelease {
  void operator()(FcObjectSet* s) const { ::FcObjectSetDestroy(s); }
};
using FcObjectSetPtr = std::unique_ptr<FcObjectSet, FcObjectSetRelease>;

struct HbRelease {
  void operator()(hb_blob_t* b) const { hb_blob_destroy(b); }
  void operator()(hb_set_t* s) const { hb_set_destroy(s); }
  void operator()(hb_shape_plan_t* p) const { hb_shape_plan_destroy(p); }
};
using HbBlobPtr = std::unique_ptr<hb_blob_t, HbRelease>;
using HbSetPtr = std::unique_ptr<hb_set_t, HbRelease>;
using HbShapePlanPtr = std::unique_ptr<hb_shape_plan_t, HbRelease>;

struct GFree {
  void operator()(void* p) const { g_free(p); }
};
using GCharPtr = std::unique_ptr<char, GFree>;

// A PangoFont shared by frames: the deleter drops the reference taken when it was stored.
inline std::shared_ptr<void> share_font(PangoFont* font) {
  g_object_ref(font);
  return std::shared_ptr<void>(font, [](void* f) { g_object_unref(f); });
}

}  // namespace warraq::typeset
