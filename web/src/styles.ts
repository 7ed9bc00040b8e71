// Colours shared by the map, its legend and the dashboards: one palette per attribute,
// keyed by the stored codes, colour-blind safe where it matters (ColorBrewer RdYlGn / PuOr
// families). The words shown beside them are the vocabulary's labels (i18n.ts).

// How much of an area the land release accounting has released (the map's fill, the dashboard
// and the land release page): one palette, so the same area has the same colour everywhere.
export const RELEASE_PROGRESS: Record<string, string> = {
  not_released: "#d7301f",
  partly_released: "#fdae61",
  released: "#1a9850",
};

export const PRODUCT_TYPE: Record<string, string> = {
  cancelled: "#9ecae1",
  reduced: "#4575b4",
  cleared: "#1a9850",
};

export const FIND_CATEGORY: Record<string, string> = {
  ap_mine: "#b2182b",
  av_mine: "#762a83",
  uxo: "#e08214",
  axo: "#b35806",
  submunition: "#de77ae",
  ied: "#40004b",
  small_arms_ammunition: "#7f7f7f",
};

export const HAZARD_TYPES = ["ap_mines", "av_mines", "uxo_axo", "cluster_munition_remnants", "improvised_devices"];

export function matchColour(property: string, palette: Record<string, string>, fallback = "#666666"): any {
  return ["match", ["get", property], ...Object.entries(palette).flat(), fallback];
}
