//! The modality classifier's cue tables, one set per `Language`: the phrases that signal a
//! prohibition, an obligation, a permission or a clause type with no modality ("other"), and
//! the forms of the Spanish and Portuguese legislative future. Compiled in: the classifier
//! builds one automaton per language from them once.

use crate::text::Language;

/// One language's cues, by the modality they signal. They are matched on folded lowercase
/// text padded with spaces, so each is written " shall not " etc.; a cue listed twice counts
/// twice, so none is.
pub(super) struct Cues {
    /// Negated modals, prohibitions and sanctions (the conduct punished is prohibited).
    pub prohibition: &'static [&'static str],
    /// Deontic verbs and duty phrases.
    pub obligation: &'static [&'static str],
    /// Faculties, rights and exemptions.
    pub permission: &'static [&'static str],
    /// Clause types: definitions, entry into force, amendments, repeals, final clauses.
    pub other: &'static [&'static str],
}

impl Cues {
    /// The four tables in the order the classifier indexes them.
    pub(super) fn tables(&self) -> [&'static [&'static str]; 4] {
        [
            self.prohibition,
            self.obligation,
            self.permission,
            self.other,
        ]
    }
}

/// The cues of a language.
pub(super) fn cues(lang: Language) -> &'static Cues {
    match lang {
        Language::Es => &ES,
        Language::En => &EN,
        Language::Fr => &FR,
        Language::Pt => &PT,
    }
}

/// Spanish.
static ES: Cues = Cues {
    prohibition: &[
        " no podra ",
        " no podran ",
        " no puede ",
        " no pueden ",
        " se prohibe ",
        " queda prohibido ",
        " queda prohibida ",
        " prohibido ",
        " prohibida ",
        " no se permitira ",
        " no se admitira ",
        " no deberan ",
        " no debera ",
        " en ningun caso ",
        " ninguna persona podra ",
        " nadie podra ",
        " no se podra ",
        " no se otorgara ",
        " no se concedera ",
        " no se expedira ",
        " no seran ",
        " no sera ",
        // sanctions: the conduct punished is prohibited
        " sera sancionado ",
        " sera sancionada ",
        " seran sancionados ",
        " seran sancionadas ",
        " sera castigado ",
        " sera penado ",
        " incurrira en ",
        " incurriran en ",
        " sera reprimido ",
        " con multa de ",
        " con pena de ",
        // the enclitic imperative of a prohibition, and abstention
        " prohibese ",
        " prohibense ",
        " quedan prohibidos ",
        " quedan prohibidas ",
        " se abstendra de ",
        " se abstendran de ",
    ],
    obligation: &[
        " es deber ",
        " son deberes ",
        " debera ",
        " deberan ",
        " debe ",
        " deben ",
        " esta obligado ",
        " estan obligados ",
        " tendra la obligacion ",
        " tendran la obligacion ",
        " es obligacion ",
        " son obligaciones ",
        " corresponde ",
        " correspondera ",
        " son funciones ",
        " son atribuciones ",
        " tendra a su cargo ",
        " se encargara ",
        " estara a cargo ",
        " esta a cargo ",
        " estan a cargo ",
        " es obligatorio ",
        " es obligatoria ",
        " se requiere ",
        " requerira ",
        " garantizara ",
        " se garantiza ",
        " velara ",
        " tiene a su cargo ",
        " tienen a su cargo ",
        " estan obligadas ",
        " esta obligada ",
        // a condition the act imposes, in the present or future indicative ("está sujeto
        // al pago", "es necesario que se presente")
        " es necesario que ",
        " sera necesario ",
        " esta sujeto a",
        " estan sujetos a",
        " esta sujeta a",
        " estan sujetas a",
        " estara sujeto a",
        " estaran sujetos a",
        " estara condicionado ",
        " estara condicionada ",
        // the enclitic imperative of a decree ("Dispónese la implementación...")
        " disponese ",
        " establecese ",
        " fijase ",
        " encomiendase ",
        " instruyese ",
    ],
    permission: &[
        " podra ",
        " podran ",
        " puede ",
        " pueden ",
        " tendra derecho ",
        " tendran derecho ",
        " tiene derecho ",
        " tienen derecho ",
        " tienen el derecho ",
        " tiene el derecho ",
        " esta facultado ",
        " estan facultados ",
        " se faculta ",
        " facultase ",
        " se autoriza ",
        " autorizase ",
        " podran optar ",
        " gozaran ",
        " gozara ",
        " goza ",
        " gozan ",
        " derecho a ",
        " son derechos ",
        " tendran los siguientes derechos ",
        " estaran exentos ",
        " estara exento ",
        " quedan exentos ",
        " queda exento ",
        // what does not prevent, allows
        " no impide ",
        " no impedira ",
    ],
    other: &[
        " comuniquese ",
        " publiquese ",
        " deroganse ",
        " derogase ",
        " entrara en vigencia ",
        " entrara en vigor ",
        " rige a partir ",
        " se entiende por ",
        " se entendera por ",
        " para los efectos de la presente ",
        " para efectos de la presente ",
        " a los efectos de la presente ",
        " definiciones ",
        " apruebase ",
        " tiene por objeto ",
        " tiene como objeto ",
        " la presente ley tiene por objeto ",
        " derogado ",
        " modificase ",
        " sustituyese ",
        " incorporase ",
        " agregase ",
        " agreganse ",
        " incorporanse ",
        " intercalase ",
        " sustituyense ",
        " modificanse ",
        " reemplazase ",
        " esta ley deroga ",
        " deroga ",
        " no afectaran ",
        " quedara abierta a la firma ",
        " sujeta a ratificacion ",
        " se consideraran ",
        " se considerara ",
        " se regiran ",
        " se regira ",
        " produciran efectos ",
        " producira efectos ",
        " serviran de ",
        " servira de ",
        // deeming and the composition of a body
        " se entendera que ",
        " sera considerado ",
        " sera considerada ",
        " seran considerados ",
        " seran consideradas ",
        " estara integrado por ",
        " estara integrada por ",
        " esta integrado por ",
        " esta integrada por ",
        " estaran integrados por ",
        " son principios ",
    ],
};

/// English.
static EN: Cues = Cues {
    prohibition: &[
        " shall not ",
        " may not ",
        " must not ",
        " no person shall ",
        " is prohibited ",
        " are prohibited ",
        " prohibited from ",
        " shall in no case ",
        " cannot ",
        " no person may ",
        " in no case ",
        " it is unlawful ",
        " it shall be unlawful ",
        " shall be guilty of ",
        " is guilty of ",
        " guilty of an offence ",
        " liable on summary conviction ",
        " shall be liable to a fine ",
        " shall be fined ",
        " penalty for ",
        " commits an offence ",
    ],
    obligation: &[
        " shall ",
        " must ",
        " is required to ",
        " are required to ",
        " has the duty ",
        " is obliged ",
        " are obliged ",
        " is responsible for ",
        " it is the duty ",
        " will ",
        " has the primary responsibility ",
        " is responsible ",
        " are responsible ",
    ],
    permission: &[
        " may ",
        " is entitled ",
        " are entitled ",
        " has the right ",
        " have the right ",
        " shall be entitled ",
        " shall have the right ",
        " is authorized ",
        " are authorized ",
        " shall enjoy ",
        " shall be free to ",
        " is permitted ",
        " right to ",
        " shall be exempt ",
        " is exempt ",
        " are exempt ",
        " is free to ",
        " are free to ",
        " it shall be lawful ",
        " no fee is payable ",
        " is not payable ",
        " does not prevent ",
        " does not preclude ",
    ],
    other: &[
        " means ",
        " in this act ",
        " in these regulations ",
        " this act may be cited ",
        " short title ",
        " comes into force ",
        " come into force ",
        " repealed ",
        " includes ",
        " shall enter into force ",
        " open for signature ",
        " subject to ratification ",
        " instruments of ratification ",
        " is amended ",
        " are amended ",
        " shall come to an end ",
        " shall be open for signature ",
        " is subject to ratification ",
    ],
};

/// French.
static FR: Cues = Cues {
    prohibition: &[
        " ne peut ",
        " ne peuvent ",
        " ne doit ",
        " ne doivent ",
        " il est interdit ",
        " est interdit ",
        " ne sont pas ",
        " ne pourra ",
        " en aucun cas ",
        " nul ne peut ",
        " commet une infraction ",
        " est passible ",
        " coupable d'une infraction ",
    ],
    obligation: &[
        " doit ",
        " doivent ",
        " est tenu ",
        " sont tenus ",
        " il incombe ",
        " devra ",
        " devront ",
        " est charge ",
        " veille ",
    ],
    permission: &[
        " peut ",
        " peuvent ",
        " pourra ",
        " pourront ",
        " a le droit ",
        " ont le droit ",
        " est autorise ",
        " sont autorises ",
        " jouit ",
        " jouissent ",
        " est habilite ",
        " sont exemptes ",
        " est exempte ",
        " est libre de ",
        // no fee owed: an exemption, as English "No fee is payable"
        " aucun droit n'est ",
        " aucuns frais ne sont ",
    ],
    other: &[
        " s'entend ",
        " designe ",
        " la presente loi ",
        " titre abrege ",
        " entre en vigueur ",
        " abroge ",
    ],
};

/// Portuguese.
static PT: Cues = Cues {
    prohibition: &[
        " nao podera ",
        " nao poderao ",
        " nao pode ",
        " e proibido ",
        " e vedado ",
        " vedada ",
        " proibido ",
        " sera punido ",
        " serao punidos ",
        " e vedada ",
        " sao vedados ",
        " fica proibido ",
        " fica vedado ",
        " e proibida ",
        " nao deve ",
        " nao devem ",
    ],
    obligation: &[
        " devera ",
        " deverao ",
        " deve ",
        " devem ",
        " compete ",
        " incumbe ",
        " e obrigatorio ",
        " esta obrigado ",
        " fica obrigado ",
        " ficam obrigados ",
        " cabe ao ",
        " cabe a ",
        " cumpre ao ",
        " e dever ",
        " sao deveres ",
        " cabe-lhe ",
        " compete-lhe ",
        " incumbe-lhe ",
        " compete a ",
        " cumpre a ",
        " sao atribuicoes ",
        // the same conditions as in Spanish ("está sujeito ao pagamento", "é necessário que")
        " e necessario que ",
        " esta sujeito a",
        " estao sujeitos a",
        " esta sujeita a",
        " estao sujeitas a",
        " ficara sujeito a",
        " ficarao sujeitos a",
    ],
    permission: &[
        " podera ",
        " poderao ",
        " pode ",
        " podem ",
        " tem direito ",
        " tem o direito ",
        " e facultado ",
        " fica autorizado ",
        " gozara ",
        " gozarao ",
        " tem direito a ",
        " fica facultado ",
        " e permitido ",
        " e assegurado ",
        " sao assegurados ",
        " e garantido ",
        " nao impede ",
        " nao impedem ",
    ],
    other: &[
        " entende-se ",
        " entra em vigor ",
        " revoga-se ",
        " revogam-se ",
        " considera-se ",
        " consideram-se ",
        " para os fins desta lei ",
        " esta lei dispoe ",
    ],
};

/// Phrases that define a term ("se entiende por", "means"): a provision whose opening says it
/// defines, and which defines more than one term or is headed as definitions, is a
/// definitions clause (see `modality::definitions`).
pub(super) fn definition_cues(lang: Language) -> &'static [&'static str] {
    match lang {
        Language::Es => &[
            " se entiende por ",
            " se entenderan por ",
            " se entendera por ",
            " se entienden por ",
            " se define como ",
            " se denomina ",
        ],
        Language::En => &[" means ", " has the meaning ", " have the meaning "],
        Language::Fr => &[" s'entend ", " designe ", " s'entendent "],
        Language::Pt => &[" entende-se por ", " considera-se ", " consideram-se "],
    }
}

/// Phrases of an amendment's lead-in: the text it inserts after a colon and a quote states
/// the rule (see `modality::classify_provision`).
pub(super) fn amendment_cues(lang: Language) -> &'static [&'static str] {
    match lang {
        Language::Es => &[
            " sustituyese ",
            " sustituyense ",
            " modificase ",
            " modificanse ",
            " agregase ",
            " agreganse ",
            " incorporase ",
            " incorporanse ",
            " intercalase ",
            " reemplazase ",
            " por el siguiente ",
            " el siguiente texto ",
            " los siguientes incisos ",
        ],
        Language::En => &[
            " is amended ",
            " are amended ",
            " by adding ",
            " is replaced by ",
            " following substituted ",
        ],
        Language::Fr => &[
            " est modifie ",
            " est remplace ",
            " est ajoute ",
            " sont ajoutes ",
        ],
        Language::Pt => &[
            " passa a vigorar ",
            " passam a vigorar ",
            " fica acrescido ",
            " seguinte redacao ",
        ],
    }
}

/// Words by which a provision's heading or opening says it lists an office's functions or
/// duties, or the requirements of a procedure: with no other cue, it states duties.
pub(super) fn function_words(lang: Language) -> &'static [&'static str] {
    match lang {
        Language::Es => &[
            " funciones ",
            " atribuciones ",
            " deberes ",
            " obligaciones ",
            " requisitos ",
            " competencias ",
        ],
        Language::En => &[
            " functions ",
            " duties ",
            " requirements ",
            " responsibilities ",
        ],
        Language::Fr => &[
            " fonctions ",
            " attributions ",
            " obligations ",
            " exigences ",
        ],
        Language::Pt => &[
            " funcoes ",
            " atribuicoes ",
            " deveres ",
            " requisitos ",
            " competencias ",
        ],
    }
}

/// Nouns before "may" that make a number a reference ("Article 10 may"), not a day.
pub(super) const REFERENCE_NOUNS: &[&str] = &[
    "article",
    "articles",
    "section",
    "sections",
    "subsection",
    "paragraph",
    "chapter",
    "part",
    "schedule",
    "rule",
    "regulation",
    "title",
    "item",
    "clause",
];

/// Words that open an English relative clause right before its verb ("that is required to").
pub(super) const RELATIVES: &[&str] = &["that", "which", "who", "whom"];

/// Words before "means" that make it a noun ("by electronic means"), not a definition.
pub(super) const NOUN_MEANS: &[&str] = &[
    "electronic",
    "other",
    "any",
    "such",
    "all",
    "by",
    "appropriate",
    "reasonable",
    "lawful",
    "financial",
    "secure",
    "adequate",
    "same",
    "technological",
];

/// Subject pronouns that may come between the passive future and its participle ("será ele
/// posto em liberdade").
pub(super) const PRONOUNS: &[&str] =
    &["ele", "ela", "eles", "elas", "él", "ella", "ellos", "ellas"];

/// Headings of a definitions clause.
pub(super) const DEFINITION_HEADINGS: &[&str] = &[
    "definiciones",
    "definitions",
    "interpretation",
    "definitions and interpretation",
    "interpretation and definitions",
    "definitions et interpretation",
    "interpretation et definitions",
    "definicoes",
];

/// The words that open a negative subject ("Ningún extranjero podrá", "Nenhum brasileiro
/// será", "Aucun passeport ne"), which forbids what follows, and the verbs that complete it.
pub(super) struct NegativeSubject {
    pub subjects: &'static [&'static str],
    pub verbs: &'static [&'static str],
}

pub(super) fn negative_subject(lang: Language) -> Option<&'static NegativeSubject> {
    match lang {
        Language::Es => Some(&NegativeSubject {
            subjects: &["ningun", "ninguna", "nadie"],
            verbs: &[
                "podra", "podran", "puede", "pueden", "debera", "deberan", "debe", "deben", "sera",
                "seran", "es", "son", "tendra", "tendran",
            ],
        }),
        Language::Pt => Some(&NegativeSubject {
            subjects: &["nenhum", "nenhuma", "ninguem"],
            verbs: &[
                "podera", "poderao", "pode", "podem", "devera", "deverao", "deve", "devem", "sera",
                "serao", "e", "sao", "tera", "terao",
            ],
        }),
        Language::Fr => Some(&NegativeSubject {
            subjects: &["aucun", "aucune", "nul"],
            verbs: &["ne", "n'"],
        }),
        Language::En => None,
    }
}

/// The legislative future of one language: third-person future forms ("expedirán",
/// "lavrarão") and the passive future ("será devuelta", "será feito") state duties.
pub(super) struct Future {
    /// Future forms that state a faculty, a state of affairs or a rule's own working rather
    /// than a duty ("podrá", "terá", "entrará en vigor").
    pub exclude: &'static [&'static str],
    /// The endings of the third-person future, with the accent that tells them apart.
    pub endings: &'static [&'static str],
    /// The word that, shortly before, turns the duty into a prohibition.
    pub negation: &'static str,
    /// The future of "to be" that, before a participle, makes the passive future.
    pub passive: &'static [&'static str],
}

/// The legislative future of a language, if it writes its duties so (Spanish, Portuguese).
pub(super) fn future(lang: Language) -> Option<&'static Future> {
    match lang {
        Language::Es => Some(&FUTURE_ES),
        Language::Pt => Some(&FUTURE_PT),
        Language::En | Language::Fr => None,
    }
}

static FUTURE_ES: Future = Future {
    exclude: &[
        "podrá",
        "podrán",
        "tendrá",
        "tendrán",
        "habrá",
        "habrán",
        "será",
        "serán",
        "estará",
        "estarán",
        "gozará",
        "gozarán",
        "entrará",
        "regirá",
        "quedará",
        "quedarán",
        "corresponderá",
        "considerará",
        "considerarán",
        "regirán",
        "producirá",
        "producirán",
        "servirá",
        "servirán",
        "entenderá",
        "entenderán",
    ],
    endings: &["rá", "rán"],
    negation: "no",
    passive: &["será", "serán"],
};

static FUTURE_PT: Future = Future {
    exclude: &[
        "poderá",
        "poderão",
        "terá",
        "terão",
        "haverá",
        "haverão",
        "será",
        "serão",
        "estará",
        "estarão",
        "gozará",
        "gozarão",
        "entrará",
        "entrarão",
        "vigorará",
        "ficará",
        "ficarão",
        "considerará",
        "considerarão",
        "produzirá",
        "produzirão",
        "servirá",
        "servirão",
        "valerá",
    ],
    endings: &["rá", "rão"],
    negation: "não",
    passive: &["será", "serão"],
};

/// Regular participles, after a passive future ("será devuelta").
pub(super) const PARTICIPLES: &[&str] =
    &["ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas"];
/// Irregular participles of the verbs laws use most, Spanish and Portuguese, in their four
/// forms.
pub(super) const IRREGULAR: &[&str] = &[
    "feito",
    "feita",
    "feitos",
    "feitas",
    "posto",
    "posta",
    "postos",
    "postas",
    "aberto",
    "aberta",
    "abertos",
    "abertas",
    "escrito",
    "escrita",
    "escritos",
    "escritas",
    "devuelto",
    "devuelta",
    "devueltos",
    "devueltas",
    "puesto",
    "puesta",
    "puestos",
    "puestas",
    "hecho",
    "hecha",
    "hechos",
    "hechas",
    "cubierto",
    "cubierta",
    "cubiertos",
    "cubiertas",
    "resuelto",
    "resuelta",
    "resueltos",
    "resueltas",
    "provisto",
    "provista",
    "provistos",
    "provistas",
    "impreso",
    "impresa",
    "impresos",
    "impresas",
    "inscrito",
    "inscrita",
    "inscritos",
    "inscritas",
    "abierto",
    "abierta",
    "abiertos",
    "abiertas",
    "dispuesto",
    "dispuesta",
    "dispuestos",
    "dispuestas",
    "expedido",
];
/// Words that, between a negation and the future, undo it ("no ... sino será").
pub(super) const NEGATION_BREAKERS: &[&str] = &["sino", "senão"];
