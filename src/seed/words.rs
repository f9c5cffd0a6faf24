//! The vocabularies of the synthetic stories, one per language: enough nouns, verbs and places
//! that headlines, standfirsts and bodies read like news and searches hit a realistic share.

/// The words of one language.
pub struct Words {
    pub tag: &'static str,
    /// Subjects of sentences: who acts.
    pub subjects: &'static [&'static str],
    /// Verbs in the third person, each with what follows it.
    pub verbs: &'static [&'static str],
    /// Objects: what the story is about.
    pub objects: &'static [&'static str],
    /// Prepositions or adverbial phrases that lead to a place.
    pub links: &'static [&'static str],
    /// Sentence openers that join a second clause.
    pub joins: &'static [&'static str],
    pub subheadings: &'static [&'static str],
    /// Lead-ins of a bullet list.
    pub list_intro: &'static str,
}

/// Places, shared by every language.
pub const PLACES: &[&str] = &[
    "Jakarta", "Dhaka", "Karachi", "Singapore", "Kuala Lumpur", "Beijing", "Manila", "Hanoi",
    "Bangkok", "Colombo", "Kathmandu", "Lahore", "Chittagong", "Penang", "Shanghai", "Yangon",
    "Phnom Penh", "Islamabad", "Surabaya", "Guangzhou", "Johor Bahru", "Sylhet", "Cebu", "Da Nang",
];

/// Tags, in English whatever the story's language (as desks file them).
pub const TAGS: &[&str] = &[
    "trade", "monsoon", "elections", "rice", "tariffs", "summit", "floods", "currency", "railways",
    "parliament", "drought", "festivals", "startups", "ports", "energy", "coal", "solar", "treaties",
    "exports", "inflation", "budget", "courts", "schools", "hospitals", "cricket", "borders",
    "fisheries", "airlines", "banking", "cyclones", "dengue", "earthquakes", "garments", "highways",
    "investment", "literacy", "mangroves", "nursing", "pensions", "refineries", "shipyards",
    "textiles", "universities", "vaccines", "wages", "youth", "bridges", "canals", "dams", "ferries",
    "asean", "climate", "diplomacy", "tourism", "housing", "water", "telecoms", "police", "labour",
    "agriculture",
];

pub const LANGUAGES: &[Words] = &[EN, FR, DE, ES, ID];

const EN: Words = Words {
    tag: "en",
    subjects: &[
        "The finance ministry", "Port authorities", "Rice farmers", "The central bank", "Exporters",
        "Opposition lawmakers", "The election commission", "Garment workers", "Energy regulators",
        "City planners", "Fishing cooperatives", "The health ministry", "Railway engineers",
        "University students", "Small traders", "The coast guard", "Airline executives",
        "Climate scientists", "Provincial governors", "Textile makers",
    ],
    verbs: &[
        "announced plans for", "warned about", "pushed back against", "agreed on", "called for",
        "signed a deal on", "raised concerns over", "welcomed", "delayed", "unveiled",
        "questioned", "approved funding for", "ruled out", "backed", "reported progress on",
    ],
    objects: &[
        "a new trade corridor", "higher rice prices", "the monsoon relief fund", "a solar power park",
        "import tariffs", "the national budget", "flood defences", "a regional rail link",
        "minimum wages", "vaccine supplies", "fuel subsidies", "a deep-sea port", "school fees",
        "the currency peg", "mangrove restoration", "cross-border payments", "a cyclone shelter plan",
        "bank lending rules", "coal imports", "hospital staffing",
    ],
    links: &["in", "across", "outside", "near", "for the people of", "on the outskirts of"],
    joins: &["Meanwhile,", "At the same time,", "Separately,", "Officials said", "Analysts noted that", "In a statement,"],
    subheadings: &["What happens next", "Background", "The numbers", "Reactions", "Why it matters", "Analysis", "On the ground"],
    list_intro: "The main points:",
};

const FR: Words = Words {
    tag: "fr",
    subjects: &[
        "Le ministère des finances", "Les autorités portuaires", "Les riziculteurs", "La banque centrale",
        "Les exportateurs", "Les députés de l'opposition", "La commission électorale", "Les ouvriers du textile",
        "Les urbanistes", "Les pêcheurs", "Le ministère de la santé", "Les étudiants",
    ],
    verbs: &[
        "a annoncé", "s'inquiète de", "a rejeté", "a approuvé", "réclame", "a signé un accord sur",
        "a salué", "a reporté", "a dévoilé", "remet en cause",
    ],
    objects: &[
        "un nouveau corridor commercial", "la hausse du prix du riz", "le fonds d'aide à la mousson",
        "une centrale solaire", "les droits de douane", "le budget national", "les digues contre les crues",
        "une liaison ferroviaire régionale", "le salaire minimum", "les livraisons de vaccins",
        "les subventions aux carburants", "un port en eau profonde",
    ],
    links: &["à", "près de", "autour de", "dans la région de"],
    joins: &["Par ailleurs,", "Dans le même temps,", "Selon les autorités,", "D'après les analystes,"],
    subheadings: &["Et maintenant", "Contexte", "Les chiffres", "Réactions", "Analyse"],
    list_intro: "Les points clés :",
};

const DE: Words = Words {
    tag: "de",
    subjects: &[
        "Das Finanzministerium", "Die Hafenbehörde", "Reisbauern", "Die Zentralbank", "Exporteure",
        "Oppositionsabgeordnete", "Die Wahlkommission", "Textilarbeiterinnen", "Stadtplaner",
        "Fischer", "Das Gesundheitsministerium", "Studierende",
    ],
    verbs: &[
        "kündigte Pläne an für", "warnte vor", "lehnte ab:", "einigte sich auf", "forderte",
        "unterzeichnete ein Abkommen über", "begrüßte", "verschob", "stellte vor:", "kritisierte",
    ],
    objects: &[
        "einen neuen Handelskorridor", "steigende Reispreise", "den Monsun-Hilfsfonds", "einen Solarpark",
        "Einfuhrzölle", "den Staatshaushalt", "den Hochwasserschutz", "eine regionale Bahnverbindung",
        "den Mindestlohn", "Impfstofflieferungen", "Treibstoffsubventionen", "einen Tiefseehafen",
    ],
    links: &["in", "bei", "rund um", "in der Region"],
    joins: &["Unterdessen", "Zugleich", "Nach Angaben der Behörden", "Analysten zufolge"],
    subheadings: &["Wie es weitergeht", "Hintergrund", "Die Zahlen", "Reaktionen", "Analyse"],
    list_intro: "Das Wichtigste:",
};

const ES: Words = Words {
    tag: "es",
    subjects: &[
        "El ministerio de finanzas", "Las autoridades portuarias", "Los arroceros", "El banco central",
        "Los exportadores", "Los diputados de la oposición", "La comisión electoral", "Las trabajadoras textiles",
        "Los urbanistas", "Los pescadores", "El ministerio de salud", "Los estudiantes",
    ],
    verbs: &[
        "anunció planes para", "advirtió sobre", "rechazó", "acordó", "pidió", "firmó un acuerdo sobre",
        "celebró", "aplazó", "presentó", "cuestionó",
    ],
    objects: &[
        "un nuevo corredor comercial", "la subida del precio del arroz", "el fondo de ayuda del monzón",
        "un parque solar", "los aranceles", "el presupuesto nacional", "las defensas contra inundaciones",
        "una línea ferroviaria regional", "el salario mínimo", "los suministros de vacunas",
        "los subsidios a los combustibles", "un puerto de aguas profundas",
    ],
    links: &["en", "cerca de", "alrededor de", "en la región de"],
    joins: &["Mientras tanto,", "Al mismo tiempo,", "Según las autoridades,", "Según los analistas,"],
    subheadings: &["Qué sigue", "Contexto", "Las cifras", "Reacciones", "Análisis"],
    list_intro: "Los puntos clave:",
};

const ID: Words = Words {
    tag: "id",
    subjects: &[
        "Kementerian Keuangan", "Otoritas pelabuhan", "Petani padi", "Bank sentral", "Para eksportir",
        "Anggota parlemen oposisi", "Komisi pemilihan umum", "Buruh garmen", "Perencana kota",
        "Nelayan", "Kementerian Kesehatan", "Mahasiswa",
    ],
    verbs: &[
        "mengumumkan rencana", "memperingatkan soal", "menolak", "menyetujui", "menyerukan",
        "menandatangani kesepakatan tentang", "menyambut", "menunda", "meluncurkan", "mempertanyakan",
    ],
    objects: &[
        "koridor perdagangan baru", "kenaikan harga beras", "dana bantuan musim hujan", "taman surya",
        "tarif impor", "anggaran negara", "tanggul banjir", "jalur kereta regional", "upah minimum",
        "pasokan vaksin", "subsidi bahan bakar", "pelabuhan laut dalam",
    ],
    links: &["di", "dekat", "di sekitar", "di wilayah"],
    joins: &["Sementara itu,", "Pada saat yang sama,", "Menurut pejabat,", "Menurut analis,"],
    subheadings: &["Langkah berikutnya", "Latar belakang", "Angka-angka", "Tanggapan", "Analisis"],
    list_intro: "Poin-poin utama:",
};
