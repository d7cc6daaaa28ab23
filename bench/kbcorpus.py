"""A generated bilingual knowledge base and the queries customers type at it (``bench.kb``).

Each article is about one of TrackMyVend's support topics (its title and a third of its
sentences say so, in the topic's words) and is 300-1,500 words long; the rest of its words are
drawn by Zipf's law from the desk's everyday vocabulary and a long tail of rarer generated words
(place names, product codes, brands), so the index holds tens of thousands of terms per
language as a real one does. Queries name a topic in its words, as typed: some with accents
dropped or capitals, some cut short (still typing), some misspelt (a letter dropped, doubled or
swapped)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

TOPICS = {
    "es": [
        ("cambiar contraseña", "contraseña acceso cuenta correo enlace seguridad"),
        ("registrar máquina nueva", "máquina registro número serie etiqueta alta"),
        ("ventas no aparecen", "ventas reporte telemetría señal sincronización hora"),
        ("monedero atorado", "monedero monedas atorado limpiar cambio devolución"),
        ("billetero rechaza billetes", "billetero billetes rechaza sensor lector validador"),
        ("inventario por ruta", "inventario ruta rellenar surtido producto almacén"),
        ("planograma de charolas", "planograma charola espiral producto posición precio"),
        ("pagos con tarjeta", "tarjeta pago terminal cobro comisión banco"),
        ("alertas de temperatura", "temperatura refrigerador alerta compresor grados"),
        ("factura electrónica", "factura timbrado fiscal cliente comprobante"),
        ("usuarios y permisos", "usuario permiso rol operador supervisor invitación"),
        ("exportar reportes", "exportar reporte excel periodo filtro descarga"),
        ("precios y promociones", "precio promoción descuento horario combo"),
        ("conectividad del módem", "módem conectividad antena sim datos reinicio"),
        ("actualizar firmware", "firmware actualización versión tablero controlador"),
        ("cortes de caja", "corte caja efectivo recaudación conteo diferencia"),
    ],
    "en": [
        ("reset your password", "password login account email link security"),
        ("register a new machine", "machine registration serial number label activation"),
        ("sales are missing", "sales report telemetry signal sync hourly"),
        ("coin mechanism jammed", "coin mechanism jammed clean change refund"),
        ("bill validator rejects notes", "bill validator rejects notes sensor reader"),
        ("inventory by route", "inventory route refill stock product warehouse"),
        ("tray planogram", "planogram tray spiral product slot price"),
        ("card payments", "card payment terminal charge fee bank"),
        ("temperature alerts", "temperature fridge alert compressor degrees"),
        ("electronic invoices", "invoice stamping tax customer receipt"),
        ("users and permissions", "user permission role operator supervisor invitation"),
        ("export reports", "export report spreadsheet period filter download"),
        ("prices and promotions", "price promotion discount schedule bundle"),
        ("modem connectivity", "modem connectivity antenna sim data restart"),
        ("update the firmware", "firmware update version board controller"),
        ("cash collections", "cash collection counting difference audit"),
    ],
}
COMMON = {
    "es": """el la los las un una de del en con por para que se su sus es son está están
        cuando si no al como más pero también cada desde hasta entre sobre sin tu tus puedes
        debes abre elige revisa escribe guarda confirma espera vuelve intenta pantalla menú
        botón opción configuración panel lista página sección día semana mes hora minutos
        cliente operador equipo soporte ticket problema solución paso pasos ejemplo nota
        importante después antes ahora siempre nunca nuevo nueva correcto datos información
        sistema aplicación portal cuenta ubicación sucursal tienda producto máquinas ventas""",
    "en": """the a an of in on with by for to that is are was when if not as more but also
        each from until between about without your you can should open choose check type
        save confirm wait again try screen menu button option settings panel list page
        section day week month hour minutes customer operator team support ticket problem
        solution step steps example note important after before now always never new right
        data information system application portal account location branch store product
        machines sales""",
}
SYLLABLES = [c + v for c in "bcdlmnrstvz" for v in "aeiou"]
RARE_WORDS = 12_000
"""Generated rarer words per language: the index's long tail."""


@dataclass(frozen=True, slots=True)
class Article:
    language: str
    topic: int
    title: str
    slug: str
    body: str


@dataclass(frozen=True, slots=True)
class Query:
    language: str
    topic: int
    text: str
    kind: str  # "plain", "accents", "prefix", "typo"


def articles(n: int, seed: int) -> list[Article]:
    """``n`` articles, half in each language, topics in turn."""
    rng = random.Random(seed)
    vocabularies = {lg: COMMON[lg].split() + _rare_words(rng) for lg in TOPICS}
    zipf = {
        lg: list(accumulate(1 / r for r in range(1, len(v) + 1))) for lg, v in vocabularies.items()
    }
    made = []
    for i in range(n):
        language = "es" if i % 2 == 0 else "en"
        topic = (i // 2) % len(TOPICS[language])
        title, words = TOPICS[language][topic]
        pool = words.split()
        sentences, length = [], rng.randint(300, 1500)
        while length > 0:
            size = rng.randint(8, 20)
            sentence = rng.choices(vocabularies[language], cum_weights=zipf[language], k=size)
            if rng.random() < 0.33:
                sentence[rng.randrange(size)] = rng.choice(pool)
            sentences.append(" ".join(sentence).capitalize() + ".")
            length -= size
        paragraphs = [" ".join(sentences[k : k + 5]) for k in range(0, len(sentences), 5)]
        body = "\n\n".join(paragraphs)
        made.append(Article(language, topic, f"{title.capitalize()} ({i})", f"a-{i}", body))
    return made


def queries(n: int, seed: int) -> list[Query]:
    """``n`` queries, every kind and language in turn."""
    rng = random.Random(seed)
    kinds = ["plain", "accents", "prefix", "typo"]
    made = []
    for i in range(n):
        language = "es" if i % 2 == 0 else "en"
        topic = rng.randrange(len(TOPICS[language]))
        title, words = TOPICS[language][topic]
        picked = rng.sample(title.split() + words.split(), rng.randint(1, 3))
        kind = kinds[(i // 2) % len(kinds)]
        text = " ".join(picked)
        if kind == "accents":
            text = text.upper() if rng.random() < 0.5 else _unaccented(text)
        elif kind == "prefix":
            text = text[: max(len(text) - rng.randint(1, 3), 3)]
        elif kind == "typo":
            text = " ".join(_misspelt(rng, w) if len(w) > 4 else w for w in picked)
        made.append(Query(language, topic, text, kind))
    return made


def _rare_words(rng: random.Random) -> list[str]:
    return ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(RARE_WORDS)]


def _unaccented(text: str) -> str:
    return text.translate(str.maketrans("áéíóúñ", "aeioun"))


def _misspelt(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    how = rng.choice(["drop", "double", "swap"])
    if how == "drop":
        return word[:i] + word[i + 1 :]
    if how == "double":
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
