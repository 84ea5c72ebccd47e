/**
 * Popular check-in places of New York, Melbourne and Hong Kong with their real
 * coordinates, so that a synthetic post's Mean error in km means what it means
 * in the MRLF paper (which found its POIs through Foursquare's top picks).
 *
 * Coordinates are the places' public positions (Wikipedia / OpenStreetMap),
 * rounded to 4 decimals (≈ 10 m); a few large areas (parks, markets, islands)
 * use a central point. Each entry also carries the words and hashtags a
 * visitor would use there (landmark names and local vocabulary) and a scene
 * type that images.ts renders. Lists are ordered by rough popularity: the
 * generator keeps the first N as "popular" POIs and turns the next few into
 * sparse POIs that the ≥ 100-posts filter should remove.
 */
import type { Poi } from "../posts";

export type SceneType =
  "park" | "bridge" | "tower" | "street" | "water" | "museum" | "market" | "beach" | "temple" | "stadium" | "mountain" | "plaza";

export interface PoiSpec extends Poi {
  scene: SceneType;
  /** Landmark and local words (a visitor's vocabulary at this place). */
  words: string[];
  /** POI-specific hashtags, most used first. */
  tags: string[];
}

type Row = [id: string, name: string, lat: number, lon: number, scene: SceneType, words: string, tags: string];

const NY: Row[] = [
  [
    "ny-times-square",
    "Times Square",
    40.758,
    -73.9855,
    "plaza",
    "times square broadway billboards lights crowds neon",
    "timessquare broadway",
  ],
  [
    "ny-central-park",
    "Central Park (Bethesda Terrace)",
    40.774,
    -73.9708,
    "park",
    "central park bethesda fountain terrace lake rowboat",
    "centralpark bethesdaterrace",
  ],
  [
    "ny-empire-state",
    "Empire State Building",
    40.7484,
    -73.9857,
    "tower",
    "empire state building observatory 86th floor deco",
    "empirestatebuilding esb",
  ],
  [
    "ny-liberty",
    "Statue of Liberty",
    40.6892,
    -74.0445,
    "water",
    "statue liberty island ferry torch lady harbor",
    "statueofliberty libertyisland",
  ],
  [
    "ny-brooklyn-bridge",
    "Brooklyn Bridge",
    40.7061,
    -73.9969,
    "bridge",
    "brooklyn bridge walkway cables span east river",
    "brooklynbridge",
  ],
  [
    "ny-rockefeller",
    "Rockefeller Center",
    40.7587,
    -73.9787,
    "plaza",
    "rockefeller center rink top rock prometheus",
    "rockefellercenter topoftherock",
  ],
  [
    "ny-grand-central",
    "Grand Central Terminal",
    40.7527,
    -73.9772,
    "museum",
    "grand central terminal concourse clock station",
    "grandcentral grandcentralterminal",
  ],
  ["ny-high-line", "The High Line", 40.748, -74.0048, "park", "high line elevated park rails chelsea walkway", "highline thehighline"],
  [
    "ny-one-wtc",
    "One World Observatory",
    40.7127,
    -74.0134,
    "tower",
    "world trade center observatory freedom tower oculus",
    "oneworldobservatory wtc",
  ],
  ["ny-911-memorial", "9/11 Memorial", 40.7115, -74.0134, "water", "memorial pools names reflecting absence remember", "911memorial"],
  [
    "ny-met",
    "The Metropolitan Museum of Art",
    40.7794,
    -73.9632,
    "museum",
    "met museum art gallery temple dendur fifth avenue",
    "themet metmuseum",
  ],
  ["ny-moma", "Museum of Modern Art", 40.7614, -73.9776, "museum", "moma modern art starry night warhol exhibit", "moma"],
  [
    "ny-flatiron",
    "Flatiron Building",
    40.7411,
    -73.9897,
    "tower",
    "flatiron building triangle madison square",
    "flatiron flatironbuilding",
  ],
  [
    "ny-washington-sq",
    "Washington Square Park",
    40.7308,
    -73.9973,
    "park",
    "washington square arch fountain nyu village",
    "washingtonsquarepark",
  ],
  [
    "ny-dumbo",
    "DUMBO (Washington Street)",
    40.7033,
    -73.9894,
    "street",
    "dumbo manhattan bridge view cobblestones washington street",
    "dumbo",
  ],
  ["ny-coney-island", "Coney Island", 40.5755, -73.9707, "beach", "coney island boardwalk cyclone wonder wheel nathans", "coneyisland"],
  ["ny-chelsea-market", "Chelsea Market", 40.7424, -74.006, "market", "chelsea market food hall tacos lobster", "chelseamarket"],
  ["ny-vessel", "The Vessel (Hudson Yards)", 40.7538, -74.0022, "tower", "vessel hudson yards staircase honeycomb", "vessel hudsonyards"],
  [
    "ny-wall-street",
    "Wall Street (Charging Bull)",
    40.7056,
    -74.0134,
    "street",
    "wall street charging bull stock exchange fearless girl",
    "wallstreet chargingbull",
  ],
  ["ny-bryant-park", "Bryant Park", 40.7536, -73.9832, "park", "bryant park library lawn winter village", "bryantpark"],
  [
    "ny-amnh",
    "American Museum of Natural History",
    40.7813,
    -73.974,
    "museum",
    "natural history dinosaurs whale planetarium",
    "amnh naturalhistorymuseum",
  ],
  [
    "ny-yankee-stadium",
    "Yankee Stadium",
    40.8296,
    -73.9262,
    "stadium",
    "yankee stadium bronx baseball bombers pinstripes",
    "yankeestadium yankees",
  ],
  [
    "ny-msg",
    "Madison Square Garden",
    40.7505,
    -73.9934,
    "stadium",
    "madison square garden knicks rangers concert arena",
    "msg madisonsquaregarden",
  ],
  [
    "ny-st-patricks",
    "St. Patrick's Cathedral",
    40.7585,
    -73.976,
    "temple",
    "st patricks cathedral spires gothic mass",
    "stpatrickscathedral",
  ],
  ["ny-guggenheim", "Solomon R. Guggenheim Museum", 40.783, -73.959, "museum", "guggenheim spiral rotunda wright", "guggenheim"],
  ["ny-lincoln-center", "Lincoln Center", 40.7725, -73.9835, "plaza", "lincoln center opera ballet fountain philharmonic", "lincolncenter"],
  ["ny-union-square", "Union Square", 40.7359, -73.9911, "plaza", "union square greenmarket skateboarders farmers", "unionsquare"],
  ["ny-chinatown", "Chinatown (Mott Street)", 40.7158, -73.997, "street", "chinatown mott street dumplings dim sum canal", "chinatownnyc"],
  ["ny-soho", "SoHo", 40.7233, -74.003, "street", "soho cast iron shopping prince street boutiques", "soho sohonyc"],
  [
    "ny-domino-park",
    "Domino Park (Williamsburg)",
    40.7142,
    -73.968,
    "water",
    "williamsburg domino park sugar factory waterfront",
    "williamsburg dominopark",
  ],
  ["ny-prospect-park", "Prospect Park", 40.6602, -73.969, "park", "prospect park long meadow boathouse brooklyn", "prospectpark"],
  [
    "ny-staten-ferry",
    "Staten Island Ferry (Whitehall)",
    40.7014,
    -74.0131,
    "water",
    "staten island ferry whitehall orange boat",
    "statenislandferry",
  ],
  [
    "ny-intrepid",
    "Intrepid Sea, Air & Space Museum",
    40.7645,
    -73.9996,
    "water",
    "intrepid carrier concorde space shuttle pier",
    "intrepid",
  ],
  ["ny-katz", "Katz's Delicatessen", 40.7223, -73.9874, "market", "katzs deli pastrami sandwich lower east side", "katzsdeli"],
  ["ny-strawberry-fields", "Strawberry Fields", 40.7756, -73.975, "park", "strawberry fields imagine mosaic lennon", "strawberryfields"],
  ["ny-chrysler", "Chrysler Building", 40.7516, -73.9755, "tower", "chrysler building spire art deco eagles", "chryslerbuilding"],
  ["ny-radio-city", "Radio City Music Hall", 40.76, -73.98, "plaza", "radio city music hall rockettes marquee", "radiocity"],
  [
    "ny-little-italy",
    "Little Italy (Mulberry Street)",
    40.7191,
    -73.9973,
    "street",
    "little italy mulberry street cannoli pasta",
    "littleitaly",
  ],
  ["ny-bronx-zoo", "Bronx Zoo", 40.8506, -73.8769, "park", "bronx zoo gorillas tigers safari", "bronxzoo"],
  ["ny-unisphere", "Unisphere (Flushing Meadows)", 40.7461, -73.8448, "plaza", "unisphere flushing meadows queens globe", "unisphere"],
  // sparse places: visited, but below the 100-post threshold at default scale
  ["ny-cloisters", "The Met Cloisters", 40.8649, -73.9317, "museum", "cloisters fort tryon medieval unicorn tapestries", "thecloisters"],
  ["ny-roosevelt-tram", "Roosevelt Island Tramway", 40.7612, -73.9645, "bridge", "roosevelt island tram cable car", "rooseveltisland"],
  ["ny-dyker-heights", "Dyker Heights", 40.6215, -74.0154, "street", "dyker heights christmas lights houses", "dykerheights"],
  ["ny-botanical", "New York Botanical Garden", 40.8623, -73.877, "park", "botanical garden orchids conservatory", "nybg"],
  ["ny-citi-field", "Citi Field", 40.7571, -73.8458, "stadium", "citi field mets shea queens", "citifield"],
];

const MEL: Row[] = [
  [
    "mel-flinders",
    "Flinders Street Station",
    -37.8183,
    144.9671,
    "museum",
    "flinders street station clocks dome trains",
    "flindersstreetstation",
  ],
  [
    "mel-fed-square",
    "Federation Square",
    -37.8179,
    144.9691,
    "plaza",
    "federation square fed square acmi screen",
    "fedsquare federationsquare",
  ],
  ["mel-hosier-lane", "Hosier Lane", -37.8165, 144.969, "street", "hosier lane graffiti street art laneway", "hosierlane streetart"],
  ["mel-qvm", "Queen Victoria Market", -37.8076, 144.9568, "market", "queen victoria market qvm donuts stalls", "queenvictoriamarket qvm"],
  [
    "mel-botanic",
    "Royal Botanic Gardens",
    -37.8304,
    144.9796,
    "park",
    "botanic gardens ornamental lake guilfoyle fern gully",
    "royalbotanicgardens",
  ],
  ["mel-eureka", "Eureka Skydeck", -37.8214, 144.9646, "tower", "eureka skydeck edge tower 88th", "eurekaskydeck"],
  ["mel-st-kilda-pier", "St Kilda Pier", -37.8675, 144.973, "water", "st kilda pier penguins breakwater kiosk", "stkildapier stkilda"],
  ["mel-luna-park", "Luna Park Melbourne", -37.8679, 144.9766, "plaza", "luna park mouth scenic railway rides", "lunapark"],
  [
    "mel-shrine",
    "Shrine of Remembrance",
    -37.8305,
    144.9734,
    "temple",
    "shrine remembrance anzac memorial eternal flame",
    "shrineofremembrance",
  ],
  [
    "mel-state-library",
    "State Library Victoria",
    -37.8098,
    144.9652,
    "museum",
    "state library reading room dome la trobe",
    "statelibraryvictoria",
  ],
  ["mel-ngv", "National Gallery of Victoria", -37.8226, 144.9689, "museum", "ngv gallery water wall stained glass ceiling", "ngv"],
  ["mel-mcg", "Melbourne Cricket Ground", -37.82, 144.9834, "stadium", "mcg cricket afl footy g", "mcg"],
  ["mel-southbank", "Southbank Promenade", -37.82, 144.961, "water", "southbank yarra river promenade riverside", "southbank yarrariver"],
  [
    "mel-brighton-boxes",
    "Brighton Bathing Boxes",
    -37.9177,
    144.9867,
    "beach",
    "brighton bathing boxes colourful huts dendy",
    "brightonbathingboxes brightonbeach",
  ],
  ["mel-degraves", "Degraves Street", -37.817, 144.9655, "street", "degraves street coffee laneway cafe flat white", "degravesstreet"],
  [
    "mel-royal-exhibition",
    "Royal Exhibition Building",
    -37.8047,
    144.9717,
    "museum",
    "royal exhibition building carlton gardens museum",
    "royalexhibitionbuilding",
  ],
  ["mel-zoo", "Melbourne Zoo", -37.7841, 144.9515, "park", "melbourne zoo kangaroos koalas parkville", "melbournezoo"],
  ["mel-chinatown", "Chinatown Melbourne", -37.8113, 144.969, "street", "chinatown little bourke dumplings gate", "chinatownmelbourne"],
  ["mel-block-arcade", "The Block Arcade", -37.8153, 144.9645, "market", "block arcade hopetoun tea rooms mosaic", "blockarcade"],
  ["mel-albert-park", "Albert Park Lake", -37.845, 144.97, "water", "albert park lake grand prix swans", "albertpark"],
  // sparse places
  ["mel-fitzroy-gardens", "Fitzroy Gardens", -37.8126, 144.9803, "park", "fitzroy gardens cooks cottage conservatory", "fitzroygardens"],
  ["mel-williamstown", "Williamstown", -37.861, 144.9, "beach", "williamstown ferry seaside strand", "williamstown"],
  ["mel-lygon", "Lygon Street", -37.799, 144.967, "street", "lygon street carlton italian gelato", "lygonstreet"],
  ["mel-docklands", "Docklands (Marvel Stadium)", -37.8165, 144.9475, "stadium", "docklands marvel stadium harbour esplanade", "docklands"],
];

const HK: Row[] = [
  ["hk-peak", "Victoria Peak", 22.2759, 114.1455, "mountain", "victoria peak tram sky terrace view skyline", "thepeak victoriapeak"],
  [
    "hk-tst-promenade",
    "Tsim Sha Tsui Promenade",
    22.2933,
    114.174,
    "water",
    "tsim sha tsui promenade avenue stars symphony lights",
    "tsimshatsui avenueofstars",
  ],
  ["hk-star-ferry", "Star Ferry Pier (Central)", 22.287, 114.161, "water", "star ferry pier harbour crossing", "starferry"],
  ["hk-temple-street", "Temple Street Night Market", 22.306, 114.17, "market", "temple street night market stalls claypot", "templestreet"],
  [
    "hk-ladies-market",
    "Ladies' Market (Mong Kok)",
    22.3185,
    114.1705,
    "market",
    "ladies market mong kok bargains tung choi",
    "ladiesmarket mongkok",
  ],
  ["hk-lkf", "Lan Kwai Fong", 22.2808, 114.1556, "street", "lan kwai fong lkf bars drinks nightlife", "lkf lankwaifong"],
  [
    "hk-disneyland",
    "Hong Kong Disneyland",
    22.313,
    114.0413,
    "plaza",
    "disneyland castle mickey fireworks lantau",
    "hongkongdisneyland hkdisneyland",
  ],
  ["hk-ocean-park", "Ocean Park", 22.2467, 114.1757, "water", "ocean park pandas cable car aquarium", "oceanpark"],
  ["hk-big-buddha", "Tian Tan Buddha", 22.254, 113.905, "temple", "tian tan big buddha ngong ping po lin", "bigbuddha ngongping"],
  ["hk-man-mo", "Man Mo Temple", 22.284, 114.15, "temple", "man mo temple incense coils hollywood road", "manmotemple"],
  ["hk-wong-tai-sin", "Wong Tai Sin Temple", 22.342, 114.1935, "temple", "wong tai sin temple fortune sticks", "wongtaisin"],
  ["hk-escalator", "Mid-Levels Escalator", 22.2827, 114.1545, "street", "mid levels escalator soho central hillside", "midlevelsescalator"],
  ["hk-repulse-bay", "Repulse Bay", 22.2366, 114.1966, "beach", "repulse bay beach sand kwun yam", "repulsebay"],
  ["hk-stanley", "Stanley Market", 22.2188, 114.2107, "beach", "stanley market murray house waterfront", "stanley stanleymarket"],
  [
    "hk-golden-bauhinia",
    "Golden Bauhinia Square",
    22.284,
    114.174,
    "plaza",
    "golden bauhinia square wan chai flag raising",
    "goldenbauhinia",
  ],
  [
    "hk-times-square",
    "Times Square (Causeway Bay)",
    22.2783,
    114.1822,
    "plaza",
    "causeway bay times square shopping russell street",
    "causewaybay",
  ],
  ["hk-sky100", "Sky100 (ICC)", 22.3034, 114.16, "tower", "sky100 icc observation deck west kowloon", "sky100"],
  [
    "hk-nan-lian",
    "Nan Lian Garden",
    22.3404,
    114.205,
    "park",
    "nan lian garden chi lin nunnery golden pavilion",
    "nanliangarden chilinnunnery",
  ],
  ["hk-hk-park", "Hong Kong Park", 22.277, 114.161, "park", "hong kong park aviary lotus pond", "hongkongpark"],
  ["hk-tai-o", "Tai O Fishing Village", 22.253, 113.862, "water", "tai o stilt houses fishing village dolphins", "taio"],
  ["hk-sai-kung", "Sai Kung", 22.381, 114.273, "beach", "sai kung seafood pier islands hike", "saikung"],
  ["hk-m-plus", "M+ (West Kowloon)", 22.3018, 114.1597, "museum", "m plus museum west kowloon art park", "mplus westkowloon"],
  ["hk-pmq", "PMQ", 22.2836, 114.152, "museum", "pmq police married quarters design", "pmq"],
  ["hk-tai-kwun", "Tai Kwun", 22.2817, 114.1544, "museum", "tai kwun prison yard heritage", "taikwun"],
  ["hk-choi-hung", "Choi Hung Estate", 22.335, 114.208, "street", "choi hung estate rainbow basketball", "choihung"],
  [
    "hk-monster-building",
    "Monster Building (Quarry Bay)",
    22.284,
    114.213,
    "tower",
    "monster building yick cheong quarry bay",
    "monsterbuilding",
  ],
  ["hk-clock-tower", "Clock Tower (Tsim Sha Tsui)", 22.2935, 114.1695, "tower", "clock tower kowloon railway tsim sha tsui", "clocktower"],
  // sparse places
  ["hk-dragons-back", "Dragon's Back", 22.238, 114.243, "mountain", "dragons back hike shek o ridge", "dragonsback"],
  ["hk-cheung-chau", "Cheung Chau", 22.21, 114.029, "beach", "cheung chau bun festival island", "cheungchau"],
  ["hk-walled-city", "Kowloon Walled City Park", 22.332, 114.19, "park", "kowloon walled city park yamen", "walledcity"],
  ["hk-lamma", "Lamma Island", 22.2, 114.13, "beach", "lamma island yung shue wan hike", "lammaisland"],
];

export interface CitySpec {
  id: "new-york" | "melbourne" | "hong-kong";
  name: string;
  /** City-level words and tags: they say which city, not which POI (generic at POI level). */
  cityWords: string[];
  cityTags: string[];
  /** Share of posts written in another language (removed by the English filter). */
  nonEnglishShare: number;
  /** Other languages seen in this city, most frequent first. */
  otherLangs: string[];
  pois: PoiSpec[];
}

const toSpec =
  (city: string) =>
  (r: Row): PoiSpec => ({
    id: r[0],
    name: r[1],
    city,
    lat: r[2],
    lon: r[3],
    scene: r[4],
    words: r[5].split(" "),
    tags: r[6].split(" "),
  });

export const CITY_SPECS: Record<CitySpec["id"], CitySpec> = {
  "new-york": {
    id: "new-york",
    name: "New York",
    cityWords: ["nyc", "new", "york", "manhattan", "city", "brooklyn", "ny"],
    cityTags: ["nyc", "newyork", "newyorkcity", "manhattan", "ny", "brooklyn", "iloveny"],
    nonEnglishShare: 0.12,
    otherLangs: ["es", "pt", "it", "ja"],
    pois: NY.map(toSpec("new-york")),
  },
  melbourne: {
    id: "melbourne",
    name: "Melbourne",
    cityWords: ["melbourne", "melb", "victoria", "cbd", "aussie", "straya"],
    cityTags: ["melbourne", "visitmelbourne", "melbournecity", "australia", "victoria", "igersmelbourne"],
    nonEnglishShare: 0.1,
    otherLangs: ["zh", "es", "it", "id"],
    pois: MEL.map(toSpec("melbourne")),
  },
  "hong-kong": {
    id: "hong-kong",
    name: "Hong Kong",
    cityWords: ["hk", "hong", "kong", "hongkong", "kowloon", "harbour"],
    cityTags: ["hongkong", "hk", "discoverhongkong", "hkig", "香港", "hkfoodie"],
    nonEnglishShare: 0.25,
    otherLangs: ["zh", "ja", "ko", "es"],
    pois: HK.map(toSpec("hong-kong")),
  },
};

export const SYNTHETIC_CITIES = Object.keys(CITY_SPECS) as CitySpec["id"][];
