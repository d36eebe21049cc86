"""The fixed wording of the offline writer, one phrase table per language.

Each table maps a key to a template; `{topic}` is replaced by the request's topic as the user
typed it (never translated), and `closer_say` also takes `{point}`, one bullet of the deck.
Templates are written so the topic can stand in the nominative, unchanged: after a colon, in
apposition ("the topic X"), or where the grammar of the language leaves the noun alone.

English has one variant per tone (formal, casual, enthusiastic, storytelling) for everything that
is spoken; the other languages share one neutral variant, and their enthusiastic variant ends each
narration with an exclamation mark. `PHRASES[language][tone]` is always a complete table.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from media.languages import LANGUAGES
from media.models import TONES

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "GENERAL_KEYS",
    "NARRATION_KEYS",
    "PHRASES",
    "REQUIRED_KEYS",
    "SECTIONS",
    "SECTION_PRIORITY",
    "phrases",
    "section_key",
]

# The middle of a generated deck, in the order a presentation tells them.
SECTIONS: Final[tuple[str, ...]] = (
    "what",
    "history",
    "why",
    "how",
    "ideas",
    "examples",
    "myths",
    "challenges",
    "start",
    "future",
)
# Which sections a short deck keeps first; the deck still shows them in `SECTIONS` order.
SECTION_PRIORITY: Final[tuple[str, ...]] = (
    "what",
    "why",
    "how",
    "ideas",
    "examples",
    "challenges",
    "myths",
    "history",
    "start",
    "future",
)
# Per section: its title, three bullets, and one narration.
_SECTION_FIELDS: Final[tuple[str, ...]] = ("title", "1", "2", "3", "say")

GENERAL_KEYS: Final[tuple[str, ...]] = (
    "subtitle",
    "welcome",
    "overview_title",
    "overview_say",
    "summary_title",
    "summary_1",
    "summary_2",
    "summary_3",
    "summary_say",
    "intro_title",
    "closer_say",
    "lens_1",
    "lens_2",
    "lens_3",
    "lens_4",
)


def section_key(section: str, field: str) -> str:
    """The table key of one field of a section, e.g. `section_key("why", "say") == "why_say"`."""
    return f"{section}_{field}"


REQUIRED_KEYS: Final[frozenset[str]] = frozenset(GENERAL_KEYS) | {
    section_key(section, field) for section in SECTIONS for field in _SECTION_FIELDS
}
# The spoken keys: these are what tone changes.
NARRATION_KEYS: Final[frozenset[str]] = frozenset(
    {"welcome", "overview_say", "summary_say", "closer_say"}
    | {section_key(section, "say") for section in SECTIONS}
)

# --- English -------------------------------------------------------------------------------------

# What the slides show; the same in every tone.
_ENGLISH: Final[dict[str, str]] = {
    "subtitle": "An introduction to {topic}",
    "overview_title": "Overview",
    "summary_title": "Key takeaways",
    "summary_1": "{topic} rests on a few clear core ideas",
    "summary_2": "Its impact shows in the real world",
    "summary_3": "Curiosity and practice deepen understanding",
    "intro_title": "Introduction",
    "lens_1": "What it means in plain words",
    "lens_2": "How it connects to {topic} as a whole",
    "lens_3": "A concrete case worth remembering",
    "lens_4": "Questions to explore next",
    "what_title": "What is {topic}?",
    "what_1": "A clear, working definition of {topic}",
    "what_2": "The essential terms and parts",
    "what_3": "Where it fits in the bigger picture",
    "history_title": "History and context",
    "history_1": "Where {topic} came from",
    "history_2": "Turning points that shaped it",
    "history_3": "A context that keeps changing",
    "why_title": "Why {topic} matters",
    "why_1": "Where {topic} touches everyday life",
    "why_2": "Who is affected, and how",
    "why_3": "What is at stake if it is ignored",
    "how_title": "How {topic} works",
    "how_1": "The main parts and how they interact",
    "how_2": "The process, step by step",
    "how_3": "Cause and effect in action",
    "ideas_title": "Key ideas",
    "ideas_1": "The core principles behind {topic}",
    "ideas_2": "Concepts that connect to each other",
    "ideas_3": "Ideas worth remembering",
    "examples_title": "Real-world examples",
    "examples_1": "Everyday situations involving {topic}",
    "examples_2": "Its place in work and industry",
    "examples_3": "Lessons from real cases",
    "myths_title": "Common misconceptions",
    "myths_1": "Popular myths about {topic}",
    "myths_2": "Why these misunderstandings spread",
    "myths_3": "What the evidence actually shows",
    "challenges_title": "Challenges and limits",
    "challenges_1": "Open problems in {topic}",
    "challenges_2": "Practical limits and trade-offs",
    "challenges_3": "Ways people work around them",
    "start_title": "Getting started",
    "start_1": "First steps for exploring {topic}",
    "start_2": "Helpful resources and habits",
    "start_3": "Mistakes beginners can avoid",
    "future_title": "Looking ahead",
    "future_1": "Emerging trends in {topic}",
    "future_2": "Questions still to be answered",
    "future_3": "Why it is worth following",
}

# What is spoken, per tone.
_ENGLISH_TONES: Final[dict[str, dict[str, str]]] = {
    "formal": {
        "welcome": (
            "Welcome. In this presentation, we offer a clear and structured introduction to "
            "{topic}."
        ),
        "overview_say": (
            "Here is the outline of our discussion of {topic}. We will move through each of "
            "these parts in turn, building toward a short set of key takeaways."
        ),
        "summary_say": (
            "To conclude, {topic} rewards careful study. Its core ideas are clear, its impact "
            "is real, and continued curiosity will deepen your understanding. Thank you for "
            "your attention."
        ),
        "closer_say": (
            "Let us examine one point more closely: {point}. Putting it in plain words and "
            "linking it to {topic} makes it easier to remember."
        ),
        "what_say": (
            "We begin with the foundations. A precise definition of {topic}, together with its "
            "essential terms and parts, supports everything that follows."
        ),
        "history_say": (
            "To understand {topic} fully, it helps to know its history. Its origins and key "
            "turning points explain much about the form it takes today."
        ),
        "why_say": (
            "Why should {topic} concern us? It touches everyday life, it affects many people "
            "in different ways, and ignoring it carries genuine costs."
        ),
        "how_say": (
            "Let us now turn to how {topic} works. Its main parts interact in a definite "
            "sequence, and each step reveals a clear relationship between cause and effect."
        ),
        "ideas_say": (
            "Several principles lie at the heart of {topic}. They are closely connected, and "
            "seeing how they relate turns isolated facts into genuine insight."
        ),
        "examples_say": (
            "Examples make the subject concrete. We encounter {topic} in everyday situations "
            "as well as in professional settings, and real cases offer valuable lessons."
        ),
        "myths_say": (
            "Several misconceptions about {topic} are widespread. It is worth asking why they "
            "persist, and then comparing them carefully with what the evidence shows."
        ),
        "challenges_say": (
            "No subject is without difficulties, and {topic} is no exception. It faces open "
            "problems and practical trade-offs, yet there are sensible ways of managing them."
        ),
        "start_say": (
            "For those who wish to begin, {topic} is approachable. A few first steps, good "
            "resources and steady habits make progress easier, and common mistakes are easy to "
            "avoid."
        ),
        "future_say": (
            "Let us now look ahead. Emerging trends continue to reshape {topic}, important "
            "questions remain open, and the field will reward continued attention."
        ),
    },
    "casual": {
        "welcome": "Hi there! Let's take a relaxed, friendly tour of {topic} together.",
        "overview_say": (
            "So here's the plan for {topic}. We'll go through these bits one by one, nice and "
            "easy, and wrap up with the big takeaways."
        ),
        "summary_say": (
            "And that's a wrap on {topic}. The big ideas aren't hard, they matter in real "
            "life, and a bit of curiosity goes a long way. Thanks for watching!"
        ),
        "closer_say": (
            "Let's zoom in on one thing: {point}. Try putting it in your own words and linking "
            "it back to {topic}, and it'll really stick."
        ),
        "what_say": (
            "Okay, first things first. What are we actually talking about with {topic}? Let's "
            "pin down a simple definition and the handful of terms you'll keep hearing."
        ),
        "history_say": (
            "Quick bit of backstory. Knowing where {topic} came from, and the moments that "
            "changed it, explains a lot about how it looks today."
        ),
        "why_say": (
            "So why should you care about {topic}? Simple: it shows up in real life, it "
            "affects plenty of people, and ignoring it usually costs more than you'd think."
        ),
        "how_say": (
            "Now let's peek under the hood of {topic}. There are a few moving parts, and once "
            "you follow them step by step, the whole thing clicks."
        ),
        "ideas_say": (
            "Here are the ideas that really hold {topic} together. They lean on each other, so "
            "once one makes sense, the rest get a lot easier."
        ),
        "examples_say": (
            "Let's get practical. You bump into {topic} in everyday life more than you might "
            "think, and it shows up at work too, with some great lessons along the way."
        ),
        "myths_say": (
            "Time to clear up a few myths about {topic}. Some of them sound convincing, but "
            "when you check the evidence, the real story is a bit different."
        ),
        "challenges_say": (
            "Of course, {topic} isn't all smooth sailing. There are open problems and real "
            "trade-offs, but people have found some clever ways around them."
        ),
        "start_say": (
            "Want to try {topic} yourself? Start small, grab a couple of good resources, build "
            "a simple habit, and you'll dodge the usual beginner mistakes."
        ),
        "future_say": (
            "So what's next for {topic}? New trends keep popping up, there are still big open "
            "questions, and it's definitely worth keeping an eye on."
        ),
    },
    "enthusiastic": {
        "welcome": "Welcome! Get ready for an exciting journey into the world of {topic}!",
        "overview_say": (
            "Here's our roadmap for {topic}, and it's a great one! We'll explore every part "
            "step by step, and finish with takeaways you'll love!"
        ),
        "summary_say": (
            "What a journey through {topic}! The core ideas are powerful, the real-world "
            "impact is huge, and there's so much more to discover. Thank you so much for "
            "watching!"
        ),
        "closer_say": (
            "Let's zoom in on something fantastic: {point}! Put it in your own words, connect "
            "it to {topic}, and watch everything fall into place!"
        ),
        "what_say": (
            "Let's dive right in! What exactly is {topic}? Once you have a clear definition "
            "and the key terms, everything else becomes so much easier!"
        ),
        "history_say": (
            "The story of {topic} is fascinating! From its origins to the turning points that "
            "shaped it, its history explains so much about today!"
        ),
        "why_say": (
            "This is where it gets exciting: {topic} shapes real lives, affects so many "
            "people, and understanding it makes a real difference!"
        ),
        "how_say": (
            "Now for the really cool part: how {topic} actually works! The pieces fit together "
            "beautifully, and following each step is genuinely rewarding!"
        ),
        "ideas_say": (
            "These are the big ideas that make {topic} so powerful! They connect in surprising "
            "ways, and each one unlocks the next!"
        ),
        "examples_say": (
            "Let's see {topic} in action! It's everywhere, from everyday life to cutting-edge "
            "industry, and real cases teach amazing lessons!"
        ),
        "myths_say": (
            "Myth-busting time! Plenty of popular beliefs about {topic} just don't hold up, "
            "and the real evidence is even more interesting!"
        ),
        "challenges_say": (
            "Every great subject has its challenges, and {topic} is no exception! The open "
            "problems are exciting, and people keep finding brilliant solutions!"
        ),
        "start_say": (
            "Ready to get started with {topic}? You absolutely can! A few simple steps, great "
            "resources and good habits will get you going fast!"
        ),
        "future_say": (
            "The future of {topic} looks incredibly bright! New trends are emerging all the "
            "time, and the open questions are an invitation to explore!"
        ),
    },
    "storytelling": {
        "welcome": "Every story begins with a question. Ours begins with {topic}.",
        "overview_say": (
            "Our story of {topic} unfolds in several chapters. Each one builds on the last, "
            "and together they lead us to a few lessons worth keeping."
        ),
        "summary_say": (
            "And so our story of {topic} ends. We met its core ideas, saw where they matter, "
            "and found that the journey is only beginning. Thank you for listening."
        ),
        "closer_say": (
            "Let's pause on one point: {point}. Imagine explaining it to a friend, and picture "
            "where it fits in the tale of {topic}."
        ),
        "what_say": (
            "Imagine meeting {topic} for the very first time. You would want to know what it "
            "is, what it is made of, and where it belongs in the bigger picture."
        ),
        "history_say": (
            "Once, {topic} looked very different from today. Its story is full of turning "
            "points, and each one left its mark on what we see now."
        ),
        "why_say": (
            "Picture a world where nobody understood {topic}. Choices would be made in the "
            "dark, many people would lose out, and we would soon feel the difference."
        ),
        "how_say": (
            "Imagine following {topic} from the inside, step by step. Each part plays its "
            "role, and one event leads naturally to the next."
        ),
        "ideas_say": (
            "Every good story has a few central themes, and {topic} is no different. Its key "
            "ideas weave together like threads in a single tapestry."
        ),
        "examples_say": (
            "Think of an ordinary day. Somewhere in it, {topic} is quietly at work, and real "
            "cases from homes and industries show what it can do."
        ),
        "myths_say": (
            "There are tales about {topic} that people repeat again and again. Some began with "
            "a grain of truth, but the evidence tells a different story."
        ),
        "challenges_say": (
            "No journey is free of obstacles, and the path of {topic} has its share. Yet every "
            "challenge has inspired someone to find a way around it."
        ),
        "start_say": (
            "Imagine taking your very first step into {topic}. With the right guide, a few "
            "good habits and a little patience, the path opens up before you."
        ),
        "future_say": (
            "The next chapter of {topic} is still being written. New trends are taking shape, "
            "and the open questions may be answered by people watching today."
        ),
    },
}

# --- European languages --------------------------------------------------------------------------

_SPANISH: Final[dict[str, str]] = {
    "subtitle": "Una introducción al tema {topic}",
    "welcome": (
        "Bienvenidos. En esta presentación ofrecemos una introducción clara y ordenada al tema "
        "{topic}."
    ),
    "overview_title": "Panorama general",
    "overview_say": (
        "Este es el esquema de nuestro recorrido por el tema {topic}. Veremos cada parte por "
        "turno y terminaremos con las ideas principales."
    ),
    "summary_title": "Conclusiones clave",
    "summary_1": "Unas pocas ideas claras sostienen el tema {topic}",
    "summary_2": "Su valor se nota en la práctica",
    "summary_3": "La curiosidad y la práctica profundizan la comprensión",
    "summary_say": (
        "En resumen, el tema {topic} merece un estudio atento. Sus ideas centrales son claras, "
        "su valor es práctico y la práctica constante ampliará su comprensión. Gracias por su "
        "atención."
    ),
    "intro_title": "Introducción",
    "closer_say": (
        "Veamos un punto con más detalle: {point}. Explicarlo con palabras sencillas y "
        "relacionarlo con el tema {topic} en su conjunto ayuda a recordarlo."
    ),
    "lens_1": "Qué significa en palabras sencillas",
    "lens_2": "Cómo se relaciona con el tema en su conjunto",
    "lens_3": "Un caso concreto para recordar",
    "lens_4": "Preguntas para seguir explorando",
    "what_title": "¿Qué es {topic}?",
    "what_1": "Una definición clara y práctica",
    "what_2": "Los términos y elementos esenciales",
    "what_3": "Su lugar en el panorama general",
    "what_say": (
        "Empezamos por los fundamentos. Una definición precisa del tema {topic}, junto con sus "
        "términos y elementos esenciales, sostiene todo lo que sigue."
    ),
    "history_title": "Historia y contexto",
    "history_1": "Los orígenes del tema",
    "history_2": "Momentos decisivos de su desarrollo",
    "history_3": "Un contexto en constante cambio",
    "history_say": (
        "Para comprender bien el tema {topic}, conviene conocer su historia. Sus orígenes y "
        "sus momentos decisivos explican gran parte de su forma actual."
    ),
    "why_title": "Por qué importa {topic}",
    "why_1": "Los problemas que ayuda a resolver",
    "why_2": "Quién se beneficia y de qué manera",
    "why_3": "Lo que está en juego si se ignora",
    "why_say": (
        "¿Por qué debería interesarnos el tema {topic}? Responde a problemas reales, beneficia "
        "a muchas personas y descuidarlo tiene costes concretos."
    ),
    "how_title": "Cómo funciona {topic}",
    "how_1": "Las partes principales y su interacción",
    "how_2": "El proceso, paso a paso",
    "how_3": "Causas y efectos en acción",
    "how_say": (
        "Veamos ahora cómo funciona {topic}. Sus partes principales actúan en una secuencia "
        "definida, y cada paso revela relaciones claras de causa y efecto."
    ),
    "ideas_title": "Ideas clave",
    "ideas_1": "Los principios fundamentales",
    "ideas_2": "Conceptos conectados entre sí",
    "ideas_3": "Ideas que vale la pena recordar",
    "ideas_say": (
        "Varios principios están en el corazón del tema {topic}. Están muy conectados, y ver "
        "cómo se relacionan convierte datos aislados en verdadera comprensión."
    ),
    "examples_title": "Ejemplos reales",
    "examples_1": "En la vida cotidiana",
    "examples_2": "En el trabajo y la industria",
    "examples_3": "Lecciones de casos reales",
    "examples_say": (
        "Los ejemplos hacen concreto el tema. Encontramos {topic} tanto en situaciones "
        "cotidianas como en entornos profesionales, y los casos reales dejan lecciones "
        "valiosas."
    ),
    "myths_title": "Ideas erróneas comunes",
    "myths_1": "Mitos populares sobre {topic}",
    "myths_2": "Por qué se difunden estos malentendidos",
    "myths_3": "Lo que muestran realmente los datos",
    "myths_say": (
        "Existen varias ideas erróneas muy extendidas sobre {topic}. Vale la pena preguntarse "
        "por qué persisten y compararlas con lo que muestran los datos."
    ),
    "challenges_title": "Retos y límites",
    "challenges_1": "Problemas aún abiertos",
    "challenges_2": "Límites prácticos y concesiones",
    "challenges_3": "Formas de superarlos",
    "challenges_say": (
        "Ningún tema está libre de dificultades, y {topic} no es una excepción. Hay problemas "
        "abiertos y límites prácticos, pero también maneras sensatas de afrontarlos."
    ),
    "start_title": "Primeros pasos",
    "start_1": "Por dónde empezar",
    "start_2": "Recursos y hábitos útiles",
    "start_3": "Errores de principiante que se pueden evitar",
    "start_say": (
        "Para quien quiera empezar, el tema {topic} es accesible. Unos primeros pasos, buenos "
        "recursos y hábitos constantes facilitan el progreso."
    ),
    "future_title": "Mirando al futuro",
    "future_1": "Nuevas tendencias",
    "future_2": "Preguntas aún sin respuesta",
    "future_3": "Por qué vale la pena seguirlo de cerca",
    "future_say": (
        "Miremos ahora hacia adelante. Nuevas tendencias siguen transformando el tema {topic}, "
        "y todavía quedan preguntas importantes por responder."
    ),
}

# French needs an article before a bare noun, so the topic stands after a colon, in apposition
# ("ce sujet, X,") or in quotes ("le thème « X »"), where any noun phrase reads correctly.
_FRENCH: Final[dict[str, str]] = {
    "subtitle": "Introduction : {topic}",
    "welcome": (
        "Bienvenue. Cette présentation propose une introduction claire et structurée au thème "
        "suivant : {topic}."
    ),
    "overview_title": "Vue d'ensemble",
    "overview_say": (
        "Voici le plan de notre exploration du thème « {topic} ». Nous aborderons chaque "
        "partie tour à tour, jusqu'aux points essentiels à retenir."
    ),
    "summary_title": "Points clés à retenir",
    "summary_1": "Quelques idées centrales, simples et claires",
    "summary_2": "Une valeur bien réelle dans la pratique",
    "summary_3": "Curiosité et pratique approfondissent la compréhension",
    "summary_say": (
        "En conclusion, le thème « {topic} » mérite une étude attentive. Ses idées centrales "
        "sont claires, sa valeur est concrète, et une pratique régulière approfondira votre "
        "compréhension. Merci de votre attention."
    ),
    "intro_title": "Introduction",
    "closer_say": (
        "Examinons un point de plus près : {point}. L'exprimer simplement et le relier à "
        "l'ensemble du thème « {topic} » aide à le retenir."
    ),
    "lens_1": "Ce que cela signifie, en termes simples",
    "lens_2": "Le lien avec l'ensemble du thème",
    "lens_3": "Un cas concret à retenir",
    "lens_4": "Des questions pour aller plus loin",
    "what_title": "{topic} : de quoi s'agit-il ?",
    "what_1": "Une définition claire et opérationnelle",
    "what_2": "Les termes et éléments essentiels",
    "what_3": "Sa place dans un cadre plus large",
    "what_say": (
        "Commençons par les fondements. Une définition précise du thème « {topic} », avec ses "
        "termes et ses éléments essentiels, éclaire tout ce qui suit."
    ),
    "history_title": "Histoire et contexte",
    "history_1": "Les origines et les premiers pas",
    "history_2": "Les tournants décisifs",
    "history_3": "Un contexte en évolution constante",
    "history_say": (
        "Pour bien comprendre le thème « {topic} », il faut connaître son histoire. Ses "
        "origines et ses tournants expliquent en grande partie sa forme actuelle."
    ),
    "why_title": "{topic} : pourquoi est-ce important ?",
    "why_1": "Des problèmes concrets à résoudre",
    "why_2": "Qui en bénéficie, et comment",
    "why_3": "Ce qui est en jeu si on l'ignore",
    "why_say": (
        "Pourquoi s'intéresser à ce sujet, {topic} ? Il répond à des problèmes réels, profite "
        "à de nombreuses personnes, et le négliger a un coût concret."
    ),
    "how_title": "{topic} : comment ça fonctionne",
    "how_1": "Les éléments principaux et leurs interactions",
    "how_2": "Le processus, étape par étape",
    "how_3": "Causes et effets en action",
    "how_say": (
        "Voyons maintenant comment tout cela fonctionne. Les éléments principaux du thème « "
        "{topic} » agissent dans un ordre précis, et chaque étape révèle des liens clairs de "
        "cause à effet."
    ),
    "ideas_title": "Idées clés",
    "ideas_1": "Les principes fondamentaux",
    "ideas_2": "Des concepts liés entre eux",
    "ideas_3": "Des idées à retenir",
    "ideas_say": (
        "Plusieurs principes sont au cœur du thème « {topic} ». Ils sont étroitement liés, et "
        "comprendre leurs relations transforme des faits isolés en véritable compréhension."
    ),
    "examples_title": "Exemples concrets",
    "examples_1": "Dans la vie quotidienne",
    "examples_2": "Au travail et dans l'industrie",
    "examples_3": "Les leçons de cas réels",
    "examples_say": (
        "Les exemples rendent le sujet concret. En matière de {topic}, on en trouve dans la "
        "vie quotidienne comme dans le monde professionnel, et les cas réels offrent de "
        "précieuses leçons."
    ),
    "myths_title": "Idées reçues",
    "myths_1": "Les mythes les plus répandus",
    "myths_2": "Pourquoi ces malentendus se propagent",
    "myths_3": "Ce que montrent réellement les faits",
    "myths_say": (
        "Plusieurs idées reçues circulent en matière de {topic}. Il vaut la peine de se "
        "demander pourquoi elles persistent, puis de les confronter aux faits."
    ),
    "challenges_title": "Défis et limites",
    "challenges_1": "Des questions encore ouvertes",
    "challenges_2": "Limites pratiques et compromis",
    "challenges_3": "Des moyens de les surmonter",
    "challenges_say": (
        "Aucun sujet n'est exempt de difficultés, et celui-ci, {topic}, ne fait pas exception. "
        "Il reste des questions ouvertes, mais aussi des moyens raisonnables d'y faire face."
    ),
    "start_title": "Premiers pas",
    "start_1": "Par où commencer",
    "start_2": "Des ressources et des habitudes utiles",
    "start_3": "Les erreurs de débutant à éviter",
    "start_say": (
        "Pour se lancer dans ce domaine, {topic}, il suffit de quelques premiers pas, de "
        "bonnes ressources et d'habitudes régulières."
    ),
    "future_title": "Perspectives",
    "future_1": "Les tendances émergentes",
    "future_2": "Des questions encore sans réponse",
    "future_3": "Pourquoi il vaut la peine de suivre ce sujet",
    "future_say": (
        "Tournons-nous vers l'avenir. De nouvelles tendances continuent de transformer ce "
        "domaine, {topic}, et d'importantes questions restent ouvertes."
    ),
}

# German: "das Thema X" keeps any noun in the nominative.
_GERMAN: Final[dict[str, str]] = {
    "subtitle": "Eine Einführung in das Thema {topic}",
    "welcome": (
        "Willkommen. Diese Präsentation bietet eine klare und strukturierte Einführung in das "
        "Thema {topic}."
    ),
    "overview_title": "Überblick",
    "overview_say": (
        "Hier ist der Fahrplan für das Thema {topic}. Wir gehen die einzelnen Teile "
        "nacheinander durch und schließen mit den wichtigsten Erkenntnissen."
    ),
    "summary_title": "Die wichtigsten Erkenntnisse",
    "summary_1": "Wenige klare Grundideen tragen das Thema {topic}",
    "summary_2": "Sein Wert zeigt sich in der Praxis",
    "summary_3": "Neugier und Übung vertiefen das Verständnis",
    "summary_say": (
        "Zusammenfassend lässt sich sagen: Das Thema {topic} lohnt eine genaue Betrachtung. "
        "Die Kernideen sind klar, der Nutzen ist praktisch, und regelmäßige Übung vertieft das "
        "Verständnis. Vielen Dank für Ihre Aufmerksamkeit."
    ),
    "intro_title": "Einleitung",
    "closer_say": (
        "Betrachten wir einen Punkt genauer: {point}. Wer ihn in einfachen Worten erklärt und "
        "mit dem Thema {topic} als Ganzem verbindet, behält ihn leichter."
    ),
    "lens_1": "Was es in einfachen Worten bedeutet",
    "lens_2": "Der Zusammenhang mit dem Thema als Ganzem",
    "lens_3": "Ein konkretes Beispiel zum Merken",
    "lens_4": "Fragen zum Weiterdenken",
    "what_title": "Was ist {topic}?",
    "what_1": "Eine klare Definition",
    "what_2": "Die wichtigsten Begriffe und Bestandteile",
    "what_3": "Die Einordnung in das große Ganze",
    "what_say": (
        "Wir beginnen mit den Grundlagen. Eine präzise Definition des Themas {topic} und "
        "seiner wichtigsten Begriffe bildet die Basis für alles Weitere."
    ),
    "history_title": "Geschichte und Hintergrund",
    "history_1": "Die Ursprünge des Themas",
    "history_2": "Entscheidende Wendepunkte",
    "history_3": "Ein sich wandelnder Kontext",
    "history_say": (
        "Um das Thema {topic} wirklich zu verstehen, hilft ein Blick in die Geschichte. "
        "Ursprünge und Wendepunkte erklären vieles an seiner heutigen Form."
    ),
    "why_title": "Warum {topic} wichtig ist",
    "why_1": "Probleme, die es lösen hilft",
    "why_2": "Wer davon profitiert und wie",
    "why_3": "Was auf dem Spiel steht",
    "why_say": (
        "Warum sollte uns das Thema {topic} beschäftigen? Es betrifft echte Probleme, nützt "
        "vielen Menschen, und wer es vernachlässigt, zahlt einen spürbaren Preis."
    ),
    "how_title": "Wie {topic} funktioniert",
    "how_1": "Die Hauptbestandteile und ihr Zusammenspiel",
    "how_2": "Der Ablauf Schritt für Schritt",
    "how_3": "Ursache und Wirkung in der Praxis",
    "how_say": (
        "Sehen wir uns nun an, wie {topic} funktioniert. Die Hauptbestandteile greifen in "
        "einer festen Abfolge ineinander, und jeder Schritt zeigt klare Zusammenhänge von "
        "Ursache und Wirkung."
    ),
    "ideas_title": "Zentrale Ideen",
    "ideas_1": "Die Grundprinzipien des Themas",
    "ideas_2": "Begriffe, die zusammenhängen",
    "ideas_3": "Ideen, die man sich merken sollte",
    "ideas_say": (
        "Im Kern des Themas {topic} stehen einige wenige Prinzipien. Sie hängen eng zusammen, "
        "und wer ihre Beziehungen versteht, gewinnt echte Einsicht."
    ),
    "examples_title": "Beispiele aus der Praxis",
    "examples_1": "Im Alltag",
    "examples_2": "In Beruf und Industrie",
    "examples_3": "Lehren aus realen Fällen",
    "examples_say": (
        "Beispiele machen das Thema greifbar. Dem Thema {topic} begegnen wir im Alltag ebenso "
        "wie im Berufsleben, und reale Fälle liefern wertvolle Lehren."
    ),
    "myths_title": "Verbreitete Irrtümer",
    "myths_1": "Populäre Mythen",
    "myths_2": "Warum sich Missverständnisse halten",
    "myths_3": "Was die Fakten tatsächlich zeigen",
    "myths_say": (
        "Über das Thema {topic} sind einige Irrtümer weit verbreitet. Es lohnt sich zu fragen, "
        "warum sie sich halten, und sie mit den Fakten zu vergleichen."
    ),
    "challenges_title": "Herausforderungen und Grenzen",
    "challenges_1": "Offene Fragen und Probleme",
    "challenges_2": "Praktische Grenzen und Zielkonflikte",
    "challenges_3": "Wege, damit umzugehen",
    "challenges_say": (
        "Kein Thema ist frei von Schwierigkeiten, auch das Thema {topic} nicht. Es gibt offene "
        "Probleme und Zielkonflikte, aber auch bewährte Wege, damit umzugehen."
    ),
    "start_title": "Erste Schritte",
    "start_1": "Der Einstieg in das Thema",
    "start_2": "Hilfreiche Quellen und Gewohnheiten",
    "start_3": "Typische Anfängerfehler vermeiden",
    "start_say": (
        "Wer mit dem Thema {topic} beginnen möchte, braucht nicht viel: ein paar erste "
        "Schritte, gute Quellen und regelmäßige Gewohnheiten."
    ),
    "future_title": "Ausblick",
    "future_1": "Neue Trends",
    "future_2": "Noch offene Fragen",
    "future_3": "Warum es sich lohnt, dranzubleiben",
    "future_say": (
        "Werfen wir nun einen Blick nach vorn. Neue Trends verändern das Thema {topic} weiter, "
        "und wichtige Fragen sind noch offen."
    ),
}

_PORTUGUESE: Final[dict[str, str]] = {
    "subtitle": "Uma introdução ao tema {topic}",
    "welcome": (
        "Bem-vindos. Esta apresentação oferece uma introdução clara e organizada ao tema {topic}."
    ),
    "overview_title": "Visão geral",
    "overview_say": (
        "Este é o roteiro da nossa conversa sobre o tema {topic}. Veremos cada parte por vez e "
        "terminaremos com as principais lições."
    ),
    "summary_title": "Principais lições",
    "summary_1": "Poucas ideias claras sustentam o tema {topic}",
    "summary_2": "Um valor real na prática",
    "summary_3": "Curiosidade e prática aprofundam o entendimento",
    "summary_say": (
        "Para concluir, o tema {topic} merece um estudo cuidadoso. Suas ideias centrais são "
        "claras, seu valor é prático, e a prática constante aprofunda o entendimento. Obrigado "
        "pela atenção."
    ),
    "intro_title": "Introdução",
    "closer_say": (
        "Vamos examinar um ponto mais de perto: {point}. Explicá-lo com palavras simples e "
        "ligá-lo ao tema {topic} como um todo ajuda a lembrá-lo."
    ),
    "lens_1": "O que significa em palavras simples",
    "lens_2": "Como se liga ao tema como um todo",
    "lens_3": "Um caso concreto para lembrar",
    "lens_4": "Perguntas para explorar a seguir",
    "what_title": "O que é {topic}?",
    "what_1": "Uma definição clara e prática",
    "what_2": "Os termos e elementos essenciais",
    "what_3": "Seu lugar no panorama geral",
    "what_say": (
        "Começamos pelos fundamentos. Uma definição precisa do tema {topic}, com seus termos e "
        "elementos essenciais, sustenta tudo o que vem a seguir."
    ),
    "history_title": "História e contexto",
    "history_1": "As origens do tema",
    "history_2": "Momentos decisivos",
    "history_3": "Um contexto em constante mudança",
    "history_say": (
        "Para compreender bem o tema {topic}, vale conhecer sua história. As origens e os "
        "momentos decisivos explicam boa parte da sua forma atual."
    ),
    "why_title": "Por que {topic} é importante",
    "why_1": "Os problemas que ajuda a resolver",
    "why_2": "Quem se beneficia, e como",
    "why_3": "O que está em jogo se for ignorado",
    "why_say": (
        "Por que o tema {topic} deveria nos interessar? Ele responde a problemas reais, "
        "beneficia muitas pessoas, e negligenciá-lo tem custos concretos."
    ),
    "how_title": "Como {topic} funciona",
    "how_1": "As partes principais e como interagem",
    "how_2": "O processo, passo a passo",
    "how_3": "Causa e efeito em ação",
    "how_say": (
        "Vejamos agora como {topic} funciona. As partes principais atuam numa sequência "
        "definida, e cada passo revela relações claras de causa e efeito."
    ),
    "ideas_title": "Ideias-chave",
    "ideas_1": "Os princípios fundamentais",
    "ideas_2": "Conceitos ligados entre si",
    "ideas_3": "Ideias que vale a pena lembrar",
    "ideas_say": (
        "Alguns princípios estão no centro do tema {topic}. Eles estão muito ligados, e "
        "entender essas relações transforma fatos isolados em compreensão real."
    ),
    "examples_title": "Exemplos reais",
    "examples_1": "No dia a dia",
    "examples_2": "No trabalho e na indústria",
    "examples_3": "Lições de casos reais",
    "examples_say": (
        "Os exemplos tornam o assunto concreto. Encontramos o tema {topic} tanto no dia a dia "
        "quanto no ambiente profissional, e os casos reais trazem lições valiosas."
    ),
    "myths_title": "Equívocos comuns",
    "myths_1": "Mitos populares sobre {topic}",
    "myths_2": "Por que esses equívocos se espalham",
    "myths_3": "O que as evidências realmente mostram",
    "myths_say": (
        "Existem vários equívocos muito difundidos sobre {topic}. Vale perguntar por que eles "
        "persistem e compará-los com o que as evidências mostram."
    ),
    "challenges_title": "Desafios e limites",
    "challenges_1": "Problemas ainda em aberto",
    "challenges_2": "Limites práticos e concessões",
    "challenges_3": "Formas de contorná-los",
    "challenges_say": (
        "Nenhum assunto está livre de dificuldades, e o tema {topic} não é exceção. Há "
        "problemas em aberto e limites práticos, mas também formas sensatas de lidar com eles."
    ),
    "start_title": "Primeiros passos",
    "start_1": "Por onde começar",
    "start_2": "Recursos e hábitos úteis",
    "start_3": "Erros de iniciante a evitar",
    "start_say": (
        "Para quem quer começar, o tema {topic} é acessível. Alguns primeiros passos, bons "
        "recursos e hábitos constantes facilitam o progresso."
    ),
    "future_title": "Olhando para o futuro",
    "future_1": "Tendências emergentes",
    "future_2": "Perguntas ainda sem resposta",
    "future_3": "Por que vale a pena acompanhar",
    "future_say": (
        "Olhemos agora para a frente. Novas tendências continuam a transformar o tema {topic}, "
        "e perguntas importantes ainda estão em aberto."
    ),
}

# Russian: the topic stays in the nominative inside «», after "тема".
_RUSSIAN: Final[dict[str, str]] = {
    "subtitle": "Введение в тему «{topic}»",
    "welcome": (
        "Добро пожаловать. В этой презентации мы ясно и последовательно познакомимся с темой "
        "«{topic}»."
    ),
    "overview_title": "Обзор",
    "overview_say": (
        "Вот план нашего разговора о теме «{topic}». Мы рассмотрим каждую часть по очереди и "
        "завершим главными выводами."
    ),
    "summary_title": "Главные выводы",
    "summary_1": "Несколько ясных ключевых идей",
    "summary_2": "Реальная польза на практике",
    "summary_3": "Любопытство и практика углубляют понимание",
    "summary_say": (
        "Подведём итог: тема «{topic}» заслуживает внимательного изучения. Её ключевые идеи "
        "ясны, польза очевидна, а регулярная практика углубит понимание. Спасибо за внимание."
    ),
    "intro_title": "Введение",
    "closer_say": (
        "Рассмотрим один пункт подробнее: {point}. Если объяснить его простыми словами и "
        "связать с темой «{topic}» в целом, он запомнится гораздо лучше."
    ),
    "lens_1": "Что это значит простыми словами",
    "lens_2": "Связь с темой в целом",
    "lens_3": "Конкретный пример для запоминания",
    "lens_4": "Вопросы для дальнейшего изучения",
    "what_title": "Что такое {topic}?",
    "what_1": "Чёткое определение",
    "what_2": "Основные термины и составные части",
    "what_3": "Место в общей картине",
    "what_say": (
        "Начнём с основ. Точное определение темы «{topic}», её ключевые термины и составные "
        "части станут опорой для всего дальнейшего."
    ),
    "history_title": "История и контекст",
    "history_1": "Истоки темы",
    "history_2": "Поворотные моменты",
    "history_3": "Меняющийся контекст",
    "history_say": (
        "Чтобы по-настоящему понять тему «{topic}», полезно знать её историю. Истоки и "
        "поворотные моменты во многом объясняют её нынешний облик."
    ),
    "why_title": "Почему это важно: {topic}",
    "why_1": "Проблемы, которые помогает решать эта тема",
    "why_2": "Кому это полезно и чем",
    "why_3": "Что на кону, если ею пренебречь",
    "why_say": (
        "Почему тема «{topic}» должна нас интересовать? Она связана с реальными проблемами, "
        "приносит пользу многим людям, а пренебрежение ею обходится дорого."
    ),
    "how_title": "Как это работает: {topic}",
    "how_1": "Основные элементы и их взаимодействие",
    "how_2": "Процесс шаг за шагом",
    "how_3": "Причины и следствия в действии",
    "how_say": (
        "Теперь посмотрим, как всё устроено. Основные элементы темы «{topic}» действуют в "
        "определённой последовательности, и каждый шаг показывает ясные причинно-следственные "
        "связи."
    ),
    "ideas_title": "Ключевые идеи",
    "ideas_1": "Основные принципы",
    "ideas_2": "Взаимосвязанные понятия",
    "ideas_3": "Идеи, которые стоит запомнить",
    "ideas_say": (
        "В основе темы «{topic}» лежит несколько принципов. Они тесно связаны между собой, и "
        "понимание этих связей превращает разрозненные факты в настоящее знание."
    ),
    "examples_title": "Примеры из жизни",
    "examples_1": "В повседневной жизни",
    "examples_2": "В работе и промышленности",
    "examples_3": "Уроки реальных случаев",
    "examples_say": (
        "Примеры делают тему конкретной. С темой «{topic}» мы сталкиваемся и в повседневной "
        "жизни, и в профессиональной среде, а реальные случаи дают ценные уроки."
    ),
    "myths_title": "Распространённые заблуждения",
    "myths_1": "Популярные мифы",
    "myths_2": "Почему эти заблуждения живучи",
    "myths_3": "Что на самом деле говорят факты",
    "myths_say": (
        "Вокруг темы «{topic}» существует немало заблуждений. Стоит понять, почему они так "
        "живучи, и сравнить их с фактами."
    ),
    "challenges_title": "Трудности и ограничения",
    "challenges_1": "Нерешённые проблемы",
    "challenges_2": "Практические ограничения и компромиссы",
    "challenges_3": "Способы их преодолеть",
    "challenges_say": (
        "Ни одна тема не обходится без трудностей, и тема «{topic}» не исключение. Есть "
        "нерешённые проблемы и компромиссы, но есть и разумные способы с ними справиться."
    ),
    "start_title": "С чего начать",
    "start_1": "Первые шаги",
    "start_2": "Полезные ресурсы и привычки",
    "start_3": "Типичные ошибки новичков",
    "start_say": (
        "Тем, кто хочет начать изучать тему «{topic}», не нужно многого: несколько первых "
        "шагов, хорошие ресурсы и регулярные занятия."
    ),
    "future_title": "Взгляд в будущее",
    "future_1": "Новые тенденции",
    "future_2": "Вопросы, на которые ещё нет ответа",
    "future_3": "Почему за этим стоит следить",
    "future_say": (
        "Теперь заглянем вперёд. Новые тенденции продолжают менять тему «{topic}», а важные "
        "вопросы всё ещё ждут ответа."
    ),
}

# --- Chinese, Japanese, Arabic -------------------------------------------------------------------

_CHINESE: Final[dict[str, str]] = {
    "subtitle": "{topic}入门",
    "welcome": "欢迎。本次演示将系统地介绍{topic}。",
    "overview_title": "内容概览",
    "overview_say": "这是我们探讨{topic}的路线图。我们将逐一讲解各个部分，最后总结关键要点。",
    "summary_title": "关键要点",
    "summary_1": "几个清晰的核心概念",
    "summary_2": "在实践中体现真正价值",
    "summary_3": "好奇心与实践加深理解",
    "summary_say": (
        "总而言之，{topic}值得认真学习。核心概念清晰，实用价值明显，持续练习会让理解更深入。"
        "感谢您的观看。"
    ),
    "intro_title": "引言",
    "closer_say": (
        "让我们细看其中一点：{point}。用简单的话说清楚，并与{topic}联系起来，就更容易记住。"
    ),
    "lens_1": "用简单的话来说",
    "lens_2": "与{topic}整体的联系",
    "lens_3": "一个值得记住的具体案例",
    "lens_4": "值得进一步探讨的问题",
    "what_title": "什么是{topic}？",
    "what_1": "{topic}的清晰定义",
    "what_2": "基本术语与组成部分",
    "what_3": "在整体格局中的位置",
    "what_say": "我们先从基础讲起。准确把握{topic}的定义和基本术语，是理解后续内容的前提。",
    "history_title": "历史与背景",
    "history_1": "{topic}的起源",
    "history_2": "关键的转折点",
    "history_3": "不断变化的背景",
    "history_say": (
        "要真正理解{topic}，就要了解它的历史。它的起源和关键转折，塑造了它今天的样子。"
    ),
    "why_title": "{topic}为什么重要",
    "why_1": "它帮助解决的问题",
    "why_2": "谁会受益，如何受益",
    "why_3": "忽视它的代价",
    "why_say": (
        "为什么要关注{topic}？因为它关系到现实问题，惠及许多人，而忽视它会付出实实在在的代价。"
    ),
    "how_title": "{topic}如何运作",
    "how_1": "主要组成部分及其相互作用",
    "how_2": "逐步了解整个过程",
    "how_3": "因果关系的实际体现",
    "how_say": (
        "接下来看看{topic}如何运作。各个部分按一定顺序相互配合，每一步都体现出清晰的因果关系。"
    ),
    "ideas_title": "核心概念",
    "ideas_1": "{topic}的基本原理",
    "ideas_2": "相互关联的概念",
    "ideas_3": "值得牢记的要点",
    "ideas_say": (
        "{topic}的核心是几条基本原理。它们紧密相连，理解其间的关系，零散的知识就会变成真正的洞见。"
    ),
    "examples_title": "现实中的例子",
    "examples_1": "日常生活中的{topic}",
    "examples_2": "工作和行业中的应用",
    "examples_3": "真实案例带来的启示",
    "examples_say": (
        "例子能让内容变得具体。在日常生活和职业领域，我们都能见到{topic}，真实案例也带来宝贵经验。"
    ),
    "myths_title": "常见误解",
    "myths_1": "关于{topic}的流行说法",
    "myths_2": "这些误解为何流传",
    "myths_3": "证据真正说明了什么",
    "myths_say": (
        "关于{topic}，流传着不少误解。值得想一想它们为何经久不衰，再与事实证据仔细对照。"
    ),
    "challenges_title": "挑战与局限",
    "challenges_1": "尚未解决的问题",
    "challenges_2": "实际限制与取舍",
    "challenges_3": "应对的办法",
    "challenges_say": (
        "任何领域都有难题，{topic}也不例外。它面临尚未解决的问题和现实取舍，"
        "但人们也找到了应对之道。"
    ),
    "start_title": "如何入门",
    "start_1": "探索{topic}的第一步",
    "start_2": "实用的资源与习惯",
    "start_3": "初学者应避免的错误",
    "start_say": (
        "如果您想开始学习{topic}，其实并不难。迈出第一步，找到好资源，养成好习惯，就能稳步前进。"
    ),
    "future_title": "展望未来",
    "future_1": "{topic}的新趋势",
    "future_2": "仍待解答的问题",
    "future_3": "为什么值得持续关注",
    "future_say": "让我们展望未来。新的趋势正在不断改变{topic}，许多重要问题仍有待解答。",
}

_JAPANESE: Final[dict[str, str]] = {
    "subtitle": "{topic}入門",
    "welcome": "ようこそ。{topic}をわかりやすく紹介します。",
    "overview_title": "概要",
    "overview_say": (
        "{topic}を学ぶ道筋はこちらです。各パートを順に取り上げ、最後に要点をまとめます。"
    ),
    "summary_title": "まとめ",
    "summary_1": "明確な核となる考え方",
    "summary_2": "実践の中で発揮される価値",
    "summary_3": "好奇心と実践が理解を深める",
    "summary_say": (
        "まとめると、{topic}はじっくり学ぶ価値のあるテーマです。ご視聴ありがとうございました。"
    ),
    "intro_title": "はじめに",
    "closer_say": "「{point}」を詳しく見ましょう。{topic}全体とつなげると覚えやすくなります。",
    "lens_1": "わかりやすい言葉で言うと",
    "lens_2": "{topic}全体とのつながり",
    "lens_3": "覚えておきたい具体例",
    "lens_4": "さらに考えたい問い",
    "what_title": "{topic}とは？",
    "what_1": "{topic}の明確な定義",
    "what_2": "基本的な用語と構成要素",
    "what_3": "全体像の中での位置づけ",
    "what_say": (
        "まずは基本から始めましょう。{topic}の定義と基本用語を押さえることが、"
        "理解の土台になります。"
    ),
    "history_title": "歴史と背景",
    "history_1": "{topic}の起源",
    "history_2": "重要な転換点",
    "history_3": "変わり続ける背景",
    "history_say": (
        "{topic}を理解するには、その歴史を知ることが役立ちます。起源と転換点が、"
        "今の姿を説明してくれます。"
    ),
    "why_title": "{topic}が重要な理由",
    "why_1": "解決に役立つ課題",
    "why_2": "誰がどのように恩恵を受けるか",
    "why_3": "無視した場合に失うもの",
    "why_say": (
        "なぜ{topic}に注目すべきなのでしょうか。現実の課題に応え、多くの人の役に立つからです。"
    ),
    "how_title": "{topic}の仕組み",
    "how_1": "主な構成要素とその関係",
    "how_2": "ステップごとのプロセス",
    "how_3": "原因と結果のつながり",
    "how_say": (
        "次に、{topic}の仕組みを見ていきます。各要素は決まった順序で働き、"
        "原因と結果の関係が見えてきます。"
    ),
    "ideas_title": "重要な考え方",
    "ideas_1": "{topic}の基本原則",
    "ideas_2": "互いにつながる概念",
    "ideas_3": "覚えておきたいポイント",
    "ideas_say": (
        "{topic}の中心には、いくつかの原則があります。その関係を理解すると、"
        "知識が本当の理解に変わります。"
    ),
    "examples_title": "身近な実例",
    "examples_1": "日常生活の中の{topic}",
    "examples_2": "仕事や産業での活用",
    "examples_3": "実際の事例から学ぶ教訓",
    "examples_say": (
        "実例があると、話がぐっと具体的になります。{topic}は日常にも仕事の現場にも見られます。"
    ),
    "myths_title": "よくある誤解",
    "myths_1": "{topic}をめぐる俗説",
    "myths_2": "誤解が広まる理由",
    "myths_3": "証拠が実際に示すこと",
    "myths_say": (
        "{topic}には、よくある誤解がいくつかあります。なぜ根強いのかを考え、"
        "事実と比べてみましょう。"
    ),
    "challenges_title": "課題と限界",
    "challenges_1": "未解決の問題",
    "challenges_2": "実際的な制約とトレードオフ",
    "challenges_3": "乗り越えるための工夫",
    "challenges_say": (
        "どんな分野にも難しさがあり、{topic}も例外ではありません。それでも、"
        "対処する工夫は生まれています。"
    ),
    "start_title": "はじめの一歩",
    "start_1": "{topic}を学ぶ最初のステップ",
    "start_2": "役立つ資料と習慣",
    "start_3": "初心者が避けたい失敗",
    "start_say": (
        "{topic}を始めるのは難しくありません。良い資料を選び、学ぶ習慣をつければ、"
        "着実に前進できます。"
    ),
    "future_title": "これからの展望",
    "future_1": "{topic}の新しい動向",
    "future_2": "まだ答えの出ていない問い",
    "future_3": "注目し続ける価値",
    "future_say": (
        "では、これからの展望です。新しい動向が{topic}を変え続けており、"
        "大切な問いも残されています。"
    ),
}

# Arabic: the topic follows a noun ("موضوع X", "أهمية X") so its gender never has to agree.
_ARABIC: Final[dict[str, str]] = {
    "subtitle": "مدخل إلى {topic}",
    "welcome": "مرحبًا بكم. يقدّم هذا العرض مدخلًا واضحًا ومنظّمًا إلى موضوع {topic}.",
    "overview_title": "نظرة عامة",
    "overview_say": (
        "هذه خطة حديثنا عن موضوع {topic}. سنتناول كل جزء على حدة، ثم نختم بأهم الخلاصات."
    ),
    "summary_title": "أهم الخلاصات",
    "summary_1": "أفكار أساسية قليلة وواضحة",
    "summary_2": "قيمة حقيقية في التطبيق العملي",
    "summary_3": "الفضول والممارسة يعمّقان الفهم",
    "summary_say": (
        "وفي الختام، يستحق موضوع {topic} دراسة متأنية. فأفكاره الأساسية واضحة، وقيمته عملية، "
        "والممارسة المستمرة تعمّق الفهم. شكرًا لحسن انتباهكم."
    ),
    "intro_title": "مقدمة",
    "closer_say": (
        "لننظر عن قرب في نقطة واحدة: {point}. إن شرحها بكلمات بسيطة وربطها بموضوع {topic} ككل "
        "يجعل تذكّرها أسهل."
    ),
    "lens_1": "معناها بكلمات بسيطة",
    "lens_2": "صلتها بالموضوع ككل",
    "lens_3": "مثال ملموس يسهل تذكّره",
    "lens_4": "أسئلة تستحق الاستكشاف",
    "what_title": "ما {topic}؟",
    "what_1": "تعريف واضح ودقيق",
    "what_2": "المصطلحات والعناصر الأساسية",
    "what_3": "موقعه في الصورة الكبرى",
    "what_say": (
        "نبدأ بالأساسيات. فالتعريف الدقيق لموضوع {topic}، مع مصطلحاته وعناصره الأساسية، هو "
        "الأساس لكل ما يلي."
    ),
    "history_title": "التاريخ والسياق",
    "history_1": "الجذور والبدايات",
    "history_2": "نقاط التحوّل الحاسمة",
    "history_3": "سياق يتغير باستمرار",
    "history_say": (
        "لفهم موضوع {topic} فهمًا عميقًا، من المفيد معرفة تاريخه. فجذوره ونقاط التحول فيه "
        "تفسّر الكثير من صورته الحالية."
    ),
    "why_title": "أهمية {topic}",
    "why_1": "مشكلات يساعد على حلّها",
    "why_2": "من يستفيد، وكيف",
    "why_3": "ما الذي نخسره إذا تجاهلناه",
    "why_say": (
        "لماذا ينبغي أن نهتم بموضوع {topic}؟ لأنه يعالج مشكلات حقيقية، ويفيد كثيرًا من الناس، "
        "وإهماله له ثمن ملموس."
    ),
    "how_title": "آلية عمل {topic}",
    "how_1": "العناصر الرئيسية وتفاعلها",
    "how_2": "العملية خطوة بخطوة",
    "how_3": "السبب والنتيجة على أرض الواقع",
    "how_say": (
        "لننتقل الآن إلى آلية عمل {topic}. تعمل العناصر الرئيسية وفق تسلسل محدد، وتكشف كل خطوة "
        "عن علاقة واضحة بين السبب والنتيجة."
    ),
    "ideas_title": "الأفكار الرئيسية",
    "ideas_1": "المبادئ الأساسية",
    "ideas_2": "مفاهيم مترابطة",
    "ideas_3": "أفكار جديرة بالتذكّر",
    "ideas_say": (
        "في قلب موضوع {topic} عدد من المبادئ الأساسية. وهي مترابطة بشدة، وفهم العلاقات بينها "
        "يحوّل المعلومات المتفرقة إلى فهم حقيقي."
    ),
    "examples_title": "أمثلة من الواقع",
    "examples_1": "في الحياة اليومية",
    "examples_2": "في العمل والصناعة",
    "examples_3": "دروس من حالات حقيقية",
    "examples_say": (
        "الأمثلة تجعل الموضوع ملموسًا. نصادف موضوع {topic} في الحياة اليومية وفي بيئة العمل، "
        "والحالات الحقيقية تقدّم دروسًا قيّمة."
    ),
    "myths_title": "مفاهيم خاطئة شائعة",
    "myths_1": "خرافات منتشرة",
    "myths_2": "لماذا تنتشر هذه المفاهيم الخاطئة",
    "myths_3": "ما تُظهره الأدلة فعلًا",
    "myths_say": (
        "تنتشر حول موضوع {topic} مفاهيم خاطئة كثيرة. ومن المفيد أن نسأل لماذا تستمر، ثم "
        "نقارنها بما تُظهره الأدلة."
    ),
    "challenges_title": "التحديات والحدود",
    "challenges_1": "مشكلات لم تُحلّ بعد",
    "challenges_2": "قيود عملية وموازنات",
    "challenges_3": "طرق للتغلب عليها",
    "challenges_say": (
        "لا يخلو أي مجال من الصعوبات، ولا يُستثنى من ذلك موضوع {topic}. فهناك مشكلات مفتوحة "
        "وقيود عملية، لكن هناك أيضًا طرق معقولة للتعامل معها."
    ),
    "start_title": "الخطوات الأولى",
    "start_1": "من أين تبدأ",
    "start_2": "مصادر وعادات مفيدة",
    "start_3": "أخطاء المبتدئين التي يمكن تجنبها",
    "start_say": (
        "لمن يرغب في البدء، فإن موضوع {topic} في المتناول. بضع خطوات أولى، ومصادر جيدة، وعادات "
        "منتظمة تجعل التقدم أسهل."
    ),
    "future_title": "نظرة إلى المستقبل",
    "future_1": "اتجاهات ناشئة",
    "future_2": "أسئلة لم تُجب بعد",
    "future_3": "لماذا يستحق المتابعة",
    "future_say": (
        "لننظر الآن إلى المستقبل. فالاتجاهات الجديدة تواصل تغيير موضوع {topic}، ولا تزال أسئلة "
        "مهمة بلا إجابة."
    ),
}

# --- Indian languages ----------------------------------------------------------------------------
# The topic is followed by "विषय"-style nouns or by postpositions that leave it unchanged.

_HINDI: Final[dict[str, str]] = {
    "subtitle": "{topic}: एक परिचय",
    "welcome": "नमस्कार। इस प्रस्तुति में हम {topic} का स्पष्ट और व्यवस्थित परिचय देंगे।",
    "overview_title": "रूपरेखा",
    "overview_say": (
        "यह {topic} को समझने की हमारी रूपरेखा है। हम हर भाग को बारी-बारी से देखेंगे और अंत में "
        "मुख्य निष्कर्षों पर पहुँचेंगे।"
    ),
    "summary_title": "मुख्य निष्कर्ष",
    "summary_1": "कुछ स्पष्ट और बुनियादी विचार",
    "summary_2": "व्यवहार में इसका वास्तविक महत्व",
    "summary_3": "जिज्ञासा और अभ्यास से गहरी समझ",
    "summary_say": (
        "संक्षेप में, {topic} ध्यान से समझने योग्य विषय है। इसके मूल विचार स्पष्ट हैं, इसका "
        "महत्व व्यावहारिक है, और नियमित अभ्यास से समझ और गहरी होती है। ध्यान देने के लिए "
        "धन्यवाद।"
    ),
    "intro_title": "परिचय",
    "closer_say": (
        "आइए एक बिंदु को करीब से देखें: {point}। इसे सरल शब्दों में कहना और {topic} से जोड़ना "
        "इसे याद रखना आसान बनाता है।"
    ),
    "lens_1": "सरल शब्दों में इसका अर्थ",
    "lens_2": "पूरे विषय से इसका संबंध",
    "lens_3": "याद रखने लायक एक ठोस उदाहरण",
    "lens_4": "आगे खोजने लायक प्रश्न",
    "what_title": "{topic} क्या है?",
    "what_1": "{topic} की स्पष्ट परिभाषा",
    "what_2": "ज़रूरी शब्द और मुख्य घटक",
    "what_3": "बड़ी तस्वीर में इसका स्थान",
    "what_say": (
        "हम बुनियादी बातों से शुरू करते हैं। {topic} की सटीक परिभाषा और इसके ज़रूरी शब्द आगे "
        "की हर बात को समझने की नींव हैं।"
    ),
    "history_title": "इतिहास और संदर्भ",
    "history_1": "{topic} की शुरुआत",
    "history_2": "निर्णायक मोड़",
    "history_3": "लगातार बदलता संदर्भ",
    "history_say": (
        "{topic} को अच्छी तरह समझने के लिए इसका इतिहास जानना उपयोगी है। इसकी शुरुआत और "
        "निर्णायक मोड़ इसके आज के रूप को काफ़ी हद तक समझाते हैं।"
    ),
    "why_title": "{topic} क्यों महत्वपूर्ण है",
    "why_1": "किन समस्याओं के हल में मदद मिलती है",
    "why_2": "किसे लाभ होता है, और कैसे",
    "why_3": "अनदेखी करने की कीमत",
    "why_say": (
        "हमें {topic} पर ध्यान क्यों देना चाहिए? यह विषय वास्तविक समस्याओं से जुड़ा है, बहुत "
        "से लोगों को लाभ पहुँचाता है, और इसकी अनदेखी की कीमत चुकानी पड़ती है।"
    ),
    "how_title": "{topic} की कार्यप्रणाली",
    "how_1": "मुख्य घटक और उनका आपसी संबंध",
    "how_2": "पूरी प्रक्रिया, कदम दर कदम",
    "how_3": "कारण और प्रभाव का संबंध",
    "how_say": (
        "अब देखते हैं कि {topic} में चीज़ें कैसे काम करती हैं। मुख्य घटक एक निश्चित क्रम में "
        "काम करते हैं, और हर कदम कारण और प्रभाव का स्पष्ट संबंध दिखाता है।"
    ),
    "ideas_title": "मुख्य विचार",
    "ideas_1": "{topic} के मूल सिद्धांत",
    "ideas_2": "आपस में जुड़ी अवधारणाएँ",
    "ideas_3": "याद रखने योग्य बातें",
    "ideas_say": (
        "{topic} के केंद्र में कुछ मूल सिद्धांत हैं। ये आपस में गहराई से जुड़े हैं, और इनके "
        "संबंध समझने से बिखरी जानकारी सच्ची समझ में बदल जाती है।"
    ),
    "examples_title": "वास्तविक जीवन के उदाहरण",
    "examples_1": "रोज़मर्रा के जीवन में {topic}",
    "examples_2": "काम और उद्योग में उपयोग",
    "examples_3": "वास्तविक मामलों से सबक",
    "examples_say": (
        "उदाहरण विषय को ठोस बनाते हैं। हम {topic} को रोज़मर्रा के जीवन में भी देखते हैं और "
        "पेशेवर दुनिया में भी, और वास्तविक मामले कीमती सबक देते हैं।"
    ),
    "myths_title": "आम गलतफ़हमियाँ",
    "myths_1": "{topic} से जुड़े लोकप्रिय मिथक",
    "myths_2": "ये गलतफ़हमियाँ क्यों फैलती हैं",
    "myths_3": "प्रमाण वास्तव में क्या बताते हैं",
    "myths_say": (
        "{topic} के बारे में कई गलतफ़हमियाँ आम हैं। यह पूछना ज़रूरी है कि वे क्यों बनी रहती "
        "हैं, और फिर उन्हें प्रमाणों से परखना चाहिए।"
    ),
    "challenges_title": "चुनौतियाँ और सीमाएँ",
    "challenges_1": "अनसुलझी समस्याएँ",
    "challenges_2": "व्यावहारिक सीमाएँ और समझौते",
    "challenges_3": "इनसे निपटने के तरीके",
    "challenges_say": (
        "कोई भी विषय कठिनाइयों से मुक्त नहीं है, और {topic} भी इसका अपवाद नहीं है। इसमें "
        "अनसुलझी समस्याएँ हैं, पर उनसे निपटने के समझदार तरीके भी हैं।"
    ),
    "start_title": "शुरुआत कैसे करें",
    "start_1": "{topic} की ओर पहला कदम",
    "start_2": "उपयोगी संसाधन और आदतें",
    "start_3": "शुरुआती गलतियों से बचाव",
    "start_say": (
        "जो {topic} सीखना शुरू करना चाहते हैं, उनके लिए राह आसान है। कुछ पहले कदम, अच्छे "
        "संसाधन और नियमित आदतें प्रगति को सरल बना देती हैं।"
    ),
    "future_title": "आगे की राह",
    "future_1": "{topic} में नए रुझान",
    "future_2": "अभी अनुत्तरित प्रश्न",
    "future_3": "इस पर नज़र रखना क्यों ज़रूरी है",
    "future_say": (
        "अब आगे की ओर देखते हैं। नए रुझान {topic} को लगातार बदल रहे हैं, और कई महत्वपूर्ण "
        "प्रश्नों के उत्तर अभी बाकी हैं।"
    ),
}

_MARATHI: Final[dict[str, str]] = {
    "subtitle": "{topic}: एक ओळख",
    "welcome": "नमस्कार. या सादरीकरणात आपण {topic} या विषयाची स्पष्ट आणि सुसंगत ओळख करून घेऊ.",
    "overview_title": "आराखडा",
    "overview_say": (
        "{topic} या विषयाचा हा आपला आराखडा आहे. आपण प्रत्येक भाग क्रमाने पाहू आणि शेवटी मुख्य निष्कर्ष मांडू."
    ),
    "summary_title": "मुख्य निष्कर्ष",
    "summary_1": "काही स्पष्ट आणि मूलभूत कल्पना",
    "summary_2": "व्यवहारातील खरे महत्त्व",
    "summary_3": "जिज्ञासा आणि सरावाने सखोल समज",
    "summary_say": (
        "थोडक्यात, {topic} हा विषय काळजीपूर्वक समजून घेण्यासारखा आहे. त्याच्या मूलभूत कल्पना "
        "स्पष्ट आहेत, त्याचे महत्त्व व्यावहारिक आहे आणि नियमित सरावाने समज अधिक खोल होते. "
        "लक्षपूर्वक ऐकल्याबद्दल धन्यवाद."
    ),
    "intro_title": "प्रस्तावना",
    "closer_say": (
        "आता एका मुद्द्याकडे जवळून पाहू: {point}. तो सोप्या शब्दांत मांडला आणि {topic} या "
        "संपूर्ण विषयाशी जोडला, तर तो लक्षात ठेवणे सोपे जाते."
    ),
    "lens_1": "सोप्या शब्दांत त्याचा अर्थ",
    "lens_2": "संपूर्ण विषयाशी असलेला संबंध",
    "lens_3": "लक्षात राहील असे ठोस उदाहरण",
    "lens_4": "पुढे शोधण्यासारखे प्रश्न",
    "what_title": "{topic} म्हणजे काय?",
    "what_1": "स्पष्ट व्याख्या",
    "what_2": "महत्त्वाच्या संज्ञा आणि घटक",
    "what_3": "व्यापक चित्रातील त्याचे स्थान",
    "what_say": (
        "आपण मूलभूत गोष्टींपासून सुरुवात करू. {topic} या विषयाची अचूक व्याख्या आणि त्याच्या "
        "महत्त्वाच्या संज्ञा पुढील सर्व गोष्टींचा पाया आहेत."
    ),
    "history_title": "इतिहास आणि संदर्भ",
    "history_1": "विषयाची सुरुवात",
    "history_2": "निर्णायक वळणे",
    "history_3": "सतत बदलणारा संदर्भ",
    "history_say": (
        "{topic} हा विषय नीट समजण्यासाठी त्याचा इतिहास जाणून घेणे उपयोगी ठरते. त्याची सुरुवात "
        "आणि निर्णायक वळणे त्याच्या आजच्या स्वरूपाचे बरेचसे स्पष्टीकरण देतात."
    ),
    "why_title": "{topic} का महत्त्वाचे आहे",
    "why_1": "सोडवता येणाऱ्या समस्या",
    "why_2": "कोणाला फायदा होतो आणि कसा",
    "why_3": "दुर्लक्ष केल्यास होणारे नुकसान",
    "why_say": (
        "आपण {topic} या विषयाकडे लक्ष का द्यावे? तो खऱ्या समस्यांशी जोडलेला आहे, अनेकांना "
        "फायदा देतो आणि त्याकडे दुर्लक्ष करणे महागात पडते."
    ),
    "how_title": "{topic} कसे कार्य करते",
    "how_1": "मुख्य घटक आणि त्यांचा परस्परसंबंध",
    "how_2": "संपूर्ण प्रक्रिया, टप्प्याटप्प्याने",
    "how_3": "कारण आणि परिणाम प्रत्यक्षात",
    "how_say": (
        "आता {topic} कसे कार्य करते ते पाहू. मुख्य घटक एका ठरावीक क्रमाने काम करतात आणि "
        "प्रत्येक टप्पा कारण व परिणाम यांचा स्पष्ट संबंध दाखवतो."
    ),
    "ideas_title": "मुख्य कल्पना",
    "ideas_1": "मूलभूत तत्त्वे",
    "ideas_2": "एकमेकांशी जोडलेल्या संकल्पना",
    "ideas_3": "लक्षात ठेवण्याजोग्या गोष्टी",
    "ideas_say": (
        "{topic} या विषयाच्या केंद्रस्थानी काही मूलभूत तत्त्वे आहेत. ती एकमेकांशी घट्ट जोडलेली "
        "आहेत आणि त्यांचे संबंध समजले की विखुरलेली माहिती खऱ्या समजेत बदलते."
    ),
    "examples_title": "प्रत्यक्ष जीवनातील उदाहरणे",
    "examples_1": "दैनंदिन जीवनात",
    "examples_2": "काम आणि उद्योगात उपयोग",
    "examples_3": "खऱ्या घटनांमधून मिळणारे धडे",
    "examples_say": (
        "उदाहरणांमुळे विषय ठोस होतो. {topic} आपल्याला दैनंदिन जीवनात आणि व्यावसायिक "
        "क्षेत्रातही दिसते, आणि खऱ्या घटनांमधून मौल्यवान धडे मिळतात."
    ),
    "myths_title": "सामान्य गैरसमज",
    "myths_1": "लोकप्रिय समजुती",
    "myths_2": "हे गैरसमज का पसरतात",
    "myths_3": "पुरावे प्रत्यक्षात काय सांगतात",
    "myths_say": (
        "{topic} या विषयाबद्दल अनेक गैरसमज प्रचलित आहेत. ते का टिकून राहतात हे विचारणे आणि "
        "त्यांची पुराव्यांशी तुलना करणे उपयुक्त ठरते."
    ),
    "challenges_title": "आव्हाने आणि मर्यादा",
    "challenges_1": "न सुटलेले प्रश्न",
    "challenges_2": "व्यावहारिक मर्यादा आणि तडजोडी",
    "challenges_3": "त्यावर मात करण्याचे मार्ग",
    "challenges_say": (
        "कोणताही विषय अडचणींपासून मुक्त नसतो, आणि {topic} हा विषयही त्याला अपवाद नाही. काही "
        "प्रश्न अजून सुटलेले नाहीत, पण त्यांना सामोरे जाण्याचे शहाणे मार्गही आहेत."
    ),
    "start_title": "सुरुवात कशी करावी",
    "start_1": "पहिली पावले",
    "start_2": "उपयुक्त साधने आणि सवयी",
    "start_3": "नवशिक्यांच्या टाळता येण्याजोग्या चुका",
    "start_say": (
        "{topic} या विषयाची सुरुवात करू इच्छिणाऱ्यांसाठी मार्ग सोपा आहे. काही पहिली पावले, "
        "चांगली साधने आणि नियमित सवयी प्रगती सोपी करतात."
    ),
    "future_title": "पुढील वाटचाल",
    "future_1": "नवे प्रवाह",
    "future_2": "अजून अनुत्तरित प्रश्न",
    "future_3": "यावर लक्ष ठेवणे का महत्त्वाचे आहे",
    "future_say": (
        "आता पुढे पाहू. नवे प्रवाह {topic} या विषयाला सतत बदलत आहेत आणि अनेक महत्त्वाचे प्रश्न अजून अनुत्तरित आहेत."
    ),
}

_BENGALI: Final[dict[str, str]] = {
    "subtitle": "{topic}: একটি পরিচিতি",
    "welcome": "স্বাগতম। এই উপস্থাপনায় আমরা {topic} বিষয়টির একটি স্পষ্ট ও গোছানো পরিচয় দেব।",
    "overview_title": "রূপরেখা",
    "overview_say": (
        "{topic} বিষয়ে এটি আমাদের আলোচনার রূপরেখা। আমরা প্রতিটি অংশ একে একে দেখব এবং শেষে মূল "
        "শিক্ষাগুলো তুলে ধরব।"
    ),
    "summary_title": "মূল শিক্ষা",
    "summary_1": "কয়েকটি স্পষ্ট মৌলিক ধারণা",
    "summary_2": "বাস্তবে এর প্রকৃত মূল্য",
    "summary_3": "কৌতূহল ও অনুশীলনে গভীর বোঝাপড়া",
    "summary_say": (
        "সংক্ষেপে, {topic} বিষয়টি মন দিয়ে বোঝার মতো। এর মূল ধারণাগুলো স্পষ্ট, এর মূল্য "
        "বাস্তব, আর নিয়মিত অনুশীলনে বোঝাপড়া আরও গভীর হয়। মনোযোগ দেওয়ার জন্য ধন্যবাদ।"
    ),
    "intro_title": "ভূমিকা",
    "closer_say": (
        "এবার একটি বিষয় কাছ থেকে দেখি: {point}। সহজ ভাষায় এটি বলা এবং {topic} বিষয়ের পুরো "
        "ছবির সঙ্গে মেলানো মনে রাখা সহজ করে।"
    ),
    "lens_1": "সহজ ভাষায় এর অর্থ",
    "lens_2": "পুরো বিষয়ের সঙ্গে এর সম্পর্ক",
    "lens_3": "মনে রাখার মতো একটি বাস্তব উদাহরণ",
    "lens_4": "আরও খোঁজার মতো প্রশ্ন",
    "what_title": "{topic} কী?",
    "what_1": "একটি স্পষ্ট সংজ্ঞা",
    "what_2": "প্রয়োজনীয় পরিভাষা ও উপাদান",
    "what_3": "বড় ছবিতে এর স্থান",
    "what_say": (
        "আমরা মৌলিক বিষয় দিয়ে শুরু করি। {topic} বিষয়টির সঠিক সংজ্ঞা এবং এর প্রয়োজনীয় "
        "পরিভাষা পরবর্তী সব আলোচনার ভিত্তি।"
    ),
    "history_title": "ইতিহাস ও প্রেক্ষাপট",
    "history_1": "বিষয়টির সূচনা",
    "history_2": "গুরুত্বপূর্ণ মোড়",
    "history_3": "বদলে যাওয়া প্রেক্ষাপট",
    "history_say": (
        "{topic} ভালোভাবে বুঝতে এর ইতিহাস জানা কাজে লাগে। এর সূচনা ও গুরুত্বপূর্ণ মোড়গুলো "
        "আজকের রূপের অনেকটাই ব্যাখ্যা করে।"
    ),
    "why_title": "{topic} কেন গুরুত্বপূর্ণ",
    "why_1": "যে সমস্যাগুলোর সমাধানে এটি সাহায্য করে",
    "why_2": "কারা উপকৃত হয়, এবং কীভাবে",
    "why_3": "অবহেলার মূল্য",
    "why_say": (
        "কেন আমরা {topic} নিয়ে ভাবব? এটি বাস্তব সমস্যার সঙ্গে যুক্ত, বহু মানুষের উপকারে আসে, "
        "আর একে অবহেলা করলে তার মূল্য দিতে হয়।"
    ),
    "how_title": "{topic} কীভাবে কাজ করে",
    "how_1": "প্রধান উপাদান ও তাদের পারস্পরিক সম্পর্ক",
    "how_2": "ধাপে ধাপে পুরো প্রক্রিয়া",
    "how_3": "কার্যকারণ সম্পর্ক",
    "how_say": (
        "এবার দেখি {topic} কীভাবে কাজ করে। প্রধান উপাদানগুলো একটি নির্দিষ্ট ক্রমে কাজ করে, আর "
        "প্রতিটি ধাপ কারণ ও ফলের স্পষ্ট সম্পর্ক দেখায়।"
    ),
    "ideas_title": "মূল ধারণা",
    "ideas_1": "মৌলিক নীতিগুলো",
    "ideas_2": "পরস্পর যুক্ত ধারণা",
    "ideas_3": "মনে রাখার মতো বিষয়",
    "ideas_say": (
        "{topic} বিষয়ের কেন্দ্রে রয়েছে কয়েকটি মৌলিক নীতি। এগুলো পরস্পরের সঙ্গে গভীরভাবে "
        "যুক্ত, আর এদের সম্পর্ক বুঝলে বিচ্ছিন্ন তথ্য সত্যিকারের বোঝাপড়ায় পরিণত হয়।"
    ),
    "examples_title": "বাস্তব জীবনের উদাহরণ",
    "examples_1": "দৈনন্দিন জীবনে",
    "examples_2": "কাজ ও শিল্পক্ষেত্রে ব্যবহার",
    "examples_3": "বাস্তব ঘটনা থেকে শিক্ষা",
    "examples_say": (
        "উদাহরণ বিষয়কে বাস্তব করে তোলে। দৈনন্দিন জীবনে এবং পেশাগত ক্ষেত্রে আমরা {topic} দেখতে "
        "পাই, আর বাস্তব ঘটনাগুলো মূল্যবান শিক্ষা দেয়।"
    ),
    "myths_title": "প্রচলিত ভুল ধারণা",
    "myths_1": "জনপ্রিয় কিছু মিথ",
    "myths_2": "এই ভুল ধারণাগুলো কেন ছড়ায়",
    "myths_3": "প্রমাণ আসলে কী বলে",
    "myths_say": (
        "{topic} নিয়ে বেশ কিছু ভুল ধারণা প্রচলিত আছে। এগুলো কেন টিকে থাকে তা ভাবা এবং "
        "প্রমাণের সঙ্গে মিলিয়ে দেখা দরকার।"
    ),
    "challenges_title": "চ্যালেঞ্জ ও সীমাবদ্ধতা",
    "challenges_1": "অমীমাংসিত সমস্যা",
    "challenges_2": "ব্যবহারিক সীমা ও আপস",
    "challenges_3": "এগুলো মোকাবিলার উপায়",
    "challenges_say": (
        "কোনো বিষয়ই সমস্যামুক্ত নয়, আর {topic} বিষয়টিও তার ব্যতিক্রম নয়। কিছু সমস্যা এখনও "
        "অমীমাংসিত, তবে সেগুলো সামলানোর বুদ্ধিমান উপায়ও আছে।"
    ),
    "start_title": "কীভাবে শুরু করবেন",
    "start_1": "প্রথম পদক্ষেপ",
    "start_2": "উপকারী উৎস ও অভ্যাস",
    "start_3": "নতুনদের এড়ানোর মতো ভুল",
    "start_say": (
        "যাঁরা {topic} শিখতে শুরু করতে চান, তাঁদের জন্য পথটি সহজ। কয়েকটি প্রথম পদক্ষেপ, ভালো "
        "উৎস আর নিয়মিত অভ্যাস অগ্রগতিকে সহজ করে।"
    ),
    "future_title": "সামনের পথ",
    "future_1": "নতুন প্রবণতা",
    "future_2": "এখনও উত্তরহীন প্রশ্ন",
    "future_3": "কেন নজর রাখা জরুরি",
    "future_say": (
        "এবার সামনের দিকে তাকাই। নতুন প্রবণতা {topic} বিষয়টিকে ক্রমাগত বদলে দিচ্ছে, আর অনেক "
        "গুরুত্বপূর্ণ প্রশ্নের উত্তর এখনও বাকি।"
    ),
}

_GUJARATI: Final[dict[str, str]] = {
    "subtitle": "{topic}: એક પરિચય",
    "welcome": ("સ્વાગત છે. આ પ્રસ્તુતિમાં આપણે {topic} વિષયનો સ્પષ્ટ અને વ્યવસ્થિત પરિચય મેળવીશું."),
    "overview_title": "રૂપરેખા",
    "overview_say": (
        "{topic} વિષયની આ આપણી રૂપરેખા છે. આપણે દરેક ભાગ એક પછી એક જોઈશું અને અંતે મુખ્ય તારણો રજૂ કરીશું."
    ),
    "summary_title": "મુખ્ય તારણો",
    "summary_1": "થોડા સ્પષ્ટ અને મૂળભૂત વિચારો",
    "summary_2": "વ્યવહારમાં તેનું સાચું મૂલ્ય",
    "summary_3": "જિજ્ઞાસા અને અભ્યાસથી ઊંડી સમજ",
    "summary_say": (
        "ટૂંકમાં, {topic} વિષય ધ્યાનથી સમજવા જેવો છે. તેના મૂળ વિચારો સ્પષ્ટ છે, તેનું મૂલ્ય "
        "વ્યવહારુ છે, અને નિયમિત અભ્યાસથી સમજ વધુ ઊંડી બને છે. ધ્યાન આપવા બદલ આભાર."
    ),
    "intro_title": "પ્રસ્તાવના",
    "closer_say": (
        "ચાલો એક મુદ્દાને નજીકથી જોઈએ: {point}. તેને સરળ શબ્દોમાં સમજાવવો અને {topic} વિષયના "
        "સમગ્ર ચિત્ર સાથે જોડવો તેને યાદ રાખવામાં મદદ કરે છે."
    ),
    "lens_1": "સરળ શબ્દોમાં તેનો અર્થ",
    "lens_2": "સમગ્ર વિષય સાથે તેનો સંબંધ",
    "lens_3": "યાદ રહે તેવું નક્કર ઉદાહરણ",
    "lens_4": "આગળ શોધવા જેવા પ્રશ્નો",
    "what_title": "{topic} શું છે?",
    "what_1": "સ્પષ્ટ વ્યાખ્યા",
    "what_2": "મહત્વના શબ્દો અને ઘટકો",
    "what_3": "મોટા ચિત્રમાં તેનું સ્થાન",
    "what_say": (
        "આપણે પાયાની બાબતોથી શરૂઆત કરીએ. {topic} વિષયની ચોક્કસ વ્યાખ્યા અને તેના મહત્વના શબ્દો "
        "આગળની દરેક વાતનો પાયો છે."
    ),
    "history_title": "ઇતિહાસ અને સંદર્ભ",
    "history_1": "વિષયની શરૂઆત",
    "history_2": "નિર્ણાયક વળાંકો",
    "history_3": "સતત બદલાતો સંદર્ભ",
    "history_say": (
        "{topic} વિષયને સારી રીતે સમજવા માટે તેનો ઇતિહાસ જાણવો ઉપયોગી છે. તેની શરૂઆત અને "
        "નિર્ણાયક વળાંકો તેના આજના સ્વરૂપને ઘણે અંશે સમજાવે છે."
    ),
    "why_title": "{topic} શા માટે મહત્વનું છે",
    "why_1": "જે સમસ્યાઓ ઉકેલવામાં તે મદદ કરે છે",
    "why_2": "કોને લાભ થાય છે, અને કેવી રીતે",
    "why_3": "અવગણનાની કિંમત",
    "why_say": (
        "આપણે {topic} પર ધ્યાન કેમ આપવું જોઈએ? તે વાસ્તવિક સમસ્યાઓ સાથે જોડાયેલું છે, ઘણા "
        "લોકોને લાભ આપે છે, અને તેની અવગણના મોંઘી પડે છે."
    ),
    "how_title": "{topic} કેવી રીતે કામ કરે છે",
    "how_1": "મુખ્ય ઘટકો અને તેમનો પરસ્પર સંબંધ",
    "how_2": "પગલે પગલે આખી પ્રક્રિયા",
    "how_3": "કારણ અને પરિણામનો સંબંધ",
    "how_say": (
        "હવે જોઈએ કે {topic} કેવી રીતે કામ કરે છે. મુખ્ય ઘટકો એક નિશ્ચિત ક્રમમાં કામ કરે છે, "
        "અને દરેક પગલું કારણ અને પરિણામનો સ્પષ્ટ સંબંધ બતાવે છે."
    ),
    "ideas_title": "મુખ્ય વિચારો",
    "ideas_1": "મૂળભૂત સિદ્ધાંતો",
    "ideas_2": "એકબીજા સાથે જોડાયેલી વિભાવનાઓ",
    "ideas_3": "યાદ રાખવા જેવી બાબતો",
    "ideas_say": (
        "{topic} વિષયના કેન્દ્રમાં કેટલાક મૂળભૂત સિદ્ધાંતો છે. તે એકબીજા સાથે ગાઢ રીતે "
        "જોડાયેલા છે, અને તેમના સંબંધો સમજવાથી છૂટીછવાઈ માહિતી સાચી સમજમાં ફેરવાય છે."
    ),
    "examples_title": "વાસ્તવિક જીવનનાં ઉદાહરણો",
    "examples_1": "રોજિંદા જીવનમાં",
    "examples_2": "કામ અને ઉદ્યોગમાં ઉપયોગ",
    "examples_3": "વાસ્તવિક કિસ્સાઓમાંથી શીખ",
    "examples_say": (
        "ઉદાહરણો વિષયને નક્કર બનાવે છે. રોજિંદા જીવનમાં અને વ્યાવસાયિક ક્ષેત્રમાં આપણે {topic} "
        "જોઈએ છીએ, અને વાસ્તવિક કિસ્સાઓ મૂલ્યવાન બોધપાઠ આપે છે."
    ),
    "myths_title": "સામાન્ય ગેરસમજો",
    "myths_1": "લોકપ્રિય માન્યતાઓ",
    "myths_2": "આ ગેરસમજો કેમ ફેલાય છે",
    "myths_3": "પુરાવા ખરેખર શું કહે છે",
    "myths_say": (
        "{topic} વિશે ઘણી ગેરસમજો પ્રચલિત છે. તે કેમ ટકી રહે છે તે વિચારવું અને તેને પુરાવા સાથે સરખાવવું ઉપયોગી છે."
    ),
    "challenges_title": "પડકારો અને મર્યાદાઓ",
    "challenges_1": "વણઉકેલ્યા પ્રશ્નો",
    "challenges_2": "વ્યવહારુ મર્યાદાઓ અને સમાધાન",
    "challenges_3": "તેમને પાર કરવાના માર્ગો",
    "challenges_say": (
        "કોઈ પણ વિષય મુશ્કેલીઓથી મુક્ત નથી, અને {topic} વિષય પણ તેમાં અપવાદ નથી. કેટલાક "
        "પ્રશ્નો હજી વણઉકેલ્યા છે, પરંતુ તેનો સામનો કરવાના સમજદાર માર્ગો પણ છે."
    ),
    "start_title": "શરૂઆત કેવી રીતે કરવી",
    "start_1": "પહેલાં પગલાં",
    "start_2": "ઉપયોગી સાધનો અને ટેવો",
    "start_3": "નવા શીખનારાઓની ટાળી શકાય તેવી ભૂલો",
    "start_say": (
        "જે લોકો {topic} શીખવાનું શરૂ કરવા માગે છે, તેમના માટે માર્ગ સરળ છે. થોડાં પહેલાં "
        "પગલાં, સારાં સાધનો અને નિયમિત ટેવો પ્રગતિને સરળ બનાવે છે."
    ),
    "future_title": "આગળનો માર્ગ",
    "future_1": "નવા પ્રવાહો",
    "future_2": "હજી અનુત્તર પ્રશ્નો",
    "future_3": "તેના પર નજર રાખવી કેમ જરૂરી છે",
    "future_say": (
        "હવે આગળ જોઈએ. નવા પ્રવાહો {topic} વિષયને સતત બદલી રહ્યા છે, અને ઘણા મહત્વના પ્રશ્નોના "
        "જવાબ હજી બાકી છે."
    ),
}

_PUNJABI: Final[dict[str, str]] = {
    "subtitle": "{topic}: ਇੱਕ ਜਾਣ-ਪਛਾਣ",
    "welcome": ("ਜੀ ਆਇਆਂ ਨੂੰ। ਇਸ ਪੇਸ਼ਕਾਰੀ ਵਿੱਚ ਅਸੀਂ {topic} ਵਿਸ਼ੇ ਦੀ ਸਪਸ਼ਟ ਅਤੇ ਸਿਲਸਿਲੇਵਾਰ ਜਾਣ-ਪਛਾਣ ਕਰਾਂਗੇ।"),
    "overview_title": "ਰੂਪ-ਰੇਖਾ",
    "overview_say": (
        "{topic} ਵਿਸ਼ੇ ਬਾਰੇ ਇਹ ਸਾਡੀ ਰੂਪ-ਰੇਖਾ ਹੈ। ਅਸੀਂ ਹਰ ਹਿੱਸੇ ਨੂੰ ਵਾਰੀ-ਵਾਰੀ ਦੇਖਾਂਗੇ ਅਤੇ ਅੰਤ ਵਿੱਚ ਮੁੱਖ ਸਿੱਟੇ ਪੇਸ਼ ਕਰਾਂਗੇ।"
    ),
    "summary_title": "ਮੁੱਖ ਸਿੱਟੇ",
    "summary_1": "ਕੁਝ ਸਪਸ਼ਟ ਅਤੇ ਬੁਨਿਆਦੀ ਵਿਚਾਰ",
    "summary_2": "ਅਮਲ ਵਿੱਚ ਇਸ ਦੀ ਅਸਲ ਕੀਮਤ",
    "summary_3": "ਜਗਿਆਸਾ ਅਤੇ ਅਭਿਆਸ ਨਾਲ ਡੂੰਘੀ ਸਮਝ",
    "summary_say": (
        "ਸੰਖੇਪ ਵਿੱਚ, {topic} ਧਿਆਨ ਨਾਲ ਸਮਝਣ ਯੋਗ ਵਿਸ਼ਾ ਹੈ। ਇਸ ਦੇ ਮੂਲ ਵਿਚਾਰ ਸਪਸ਼ਟ ਹਨ, ਅਤੇ ਲਗਾਤਾਰ "
        "ਅਭਿਆਸ ਨਾਲ ਸਮਝ ਹੋਰ ਡੂੰਘੀ ਹੁੰਦੀ ਹੈ। ਧਿਆਨ ਦੇਣ ਲਈ ਧੰਨਵਾਦ।"
    ),
    "intro_title": "ਭੂਮਿਕਾ",
    "closer_say": (
        "ਆਓ ਇੱਕ ਨੁਕਤੇ ਨੂੰ ਨੇੜਿਓਂ ਦੇਖੀਏ: {point}। ਇਸ ਨੂੰ ਸੌਖੇ ਸ਼ਬਦਾਂ ਵਿੱਚ ਕਹਿਣਾ ਅਤੇ {topic} ਨਾਲ "
        "ਜੋੜਨਾ ਇਸ ਨੂੰ ਯਾਦ ਰੱਖਣਾ ਸੌਖਾ ਬਣਾਉਂਦਾ ਹੈ।"
    ),
    "lens_1": "ਸੌਖੇ ਸ਼ਬਦਾਂ ਵਿੱਚ ਇਸ ਦਾ ਅਰਥ",
    "lens_2": "ਪੂਰੇ ਵਿਸ਼ੇ ਨਾਲ ਇਸ ਦਾ ਸੰਬੰਧ",
    "lens_3": "ਯਾਦ ਰੱਖਣ ਯੋਗ ਇੱਕ ਠੋਸ ਮਿਸਾਲ",
    "lens_4": "ਅੱਗੇ ਖੋਜਣ ਯੋਗ ਸਵਾਲ",
    "what_title": "{topic} ਕੀ ਹੈ?",
    "what_1": "ਇੱਕ ਸਪਸ਼ਟ ਪਰਿਭਾਸ਼ਾ",
    "what_2": "ਜ਼ਰੂਰੀ ਸ਼ਬਦ ਅਤੇ ਮੁੱਖ ਅੰਗ",
    "what_3": "ਵੱਡੀ ਤਸਵੀਰ ਵਿੱਚ ਇਸ ਦੀ ਥਾਂ",
    "what_say": (
        "ਅਸੀਂ ਬੁਨਿਆਦੀ ਗੱਲਾਂ ਤੋਂ ਸ਼ੁਰੂ ਕਰਦੇ ਹਾਂ। {topic} ਦੀ ਸਹੀ ਪਰਿਭਾਸ਼ਾ ਅਤੇ ਇਸ ਦੇ ਜ਼ਰੂਰੀ ਸ਼ਬਦ ਅੱਗੇ ਦੀ ਹਰ ਗੱਲ ਦੀ ਨੀਂਹ ਹਨ।"
    ),
    "history_title": "ਇਤਿਹਾਸ ਅਤੇ ਪ੍ਰਸੰਗ",
    "history_1": "ਵਿਸ਼ੇ ਦੀ ਸ਼ੁਰੂਆਤ",
    "history_2": "ਫ਼ੈਸਲਾਕੁਨ ਮੋੜ",
    "history_3": "ਲਗਾਤਾਰ ਬਦਲਦਾ ਪ੍ਰਸੰਗ",
    "history_say": (
        "{topic} ਨੂੰ ਚੰਗੀ ਤਰ੍ਹਾਂ ਸਮਝਣ ਲਈ ਇਸ ਦਾ ਇਤਿਹਾਸ ਜਾਣਨਾ ਲਾਭਦਾਇਕ ਹੈ। ਇਸ ਦੀ ਸ਼ੁਰੂਆਤ ਅਤੇ "
        "ਫ਼ੈਸਲਾਕੁਨ ਮੋੜ ਇਸ ਦੇ ਅੱਜ ਦੇ ਰੂਪ ਨੂੰ ਕਾਫ਼ੀ ਹੱਦ ਤੱਕ ਸਮਝਾਉਂਦੇ ਹਨ।"
    ),
    "why_title": "{topic} ਕਿਉਂ ਮਹੱਤਵਪੂਰਨ ਹੈ",
    "why_1": "ਕਿਹੜੀਆਂ ਸਮੱਸਿਆਵਾਂ ਦੇ ਹੱਲ ਵਿੱਚ ਮਦਦ ਮਿਲਦੀ ਹੈ",
    "why_2": "ਕਿਸ ਨੂੰ ਲਾਭ ਹੁੰਦਾ ਹੈ, ਅਤੇ ਕਿਵੇਂ",
    "why_3": "ਅਣਦੇਖੀ ਦੀ ਕੀਮਤ",
    "why_say": (
        "ਸਾਨੂੰ {topic} ਵੱਲ ਧਿਆਨ ਕਿਉਂ ਦੇਣਾ ਚਾਹੀਦਾ ਹੈ? ਇਹ ਅਸਲ ਸਮੱਸਿਆਵਾਂ ਨਾਲ ਜੁੜਿਆ ਹੈ, ਬਹੁਤ ਸਾਰੇ "
        "ਲੋਕਾਂ ਨੂੰ ਲਾਭ ਦਿੰਦਾ ਹੈ, ਅਤੇ ਇਸ ਦੀ ਅਣਦੇਖੀ ਮਹਿੰਗੀ ਪੈਂਦੀ ਹੈ।"
    ),
    "how_title": "{topic} ਦੀ ਕਾਰਜ-ਪ੍ਰਣਾਲੀ",
    "how_1": "ਮੁੱਖ ਅੰਗ ਅਤੇ ਉਨ੍ਹਾਂ ਦਾ ਆਪਸੀ ਸੰਬੰਧ",
    "how_2": "ਕਦਮ-ਦਰ-ਕਦਮ ਪੂਰੀ ਪ੍ਰਕਿਰਿਆ",
    "how_3": "ਕਾਰਨ ਅਤੇ ਨਤੀਜੇ ਦਾ ਸੰਬੰਧ",
    "how_say": (
        "ਹੁਣ ਦੇਖਦੇ ਹਾਂ ਕਿ {topic} ਵਿੱਚ ਚੀਜ਼ਾਂ ਕਿਵੇਂ ਕੰਮ ਕਰਦੀਆਂ ਹਨ। ਮੁੱਖ ਅੰਗ ਇੱਕ ਨਿਸ਼ਚਿਤ ਤਰਤੀਬ "
        "ਵਿੱਚ ਕੰਮ ਕਰਦੇ ਹਨ, ਅਤੇ ਹਰ ਕਦਮ ਕਾਰਨ ਅਤੇ ਨਤੀਜੇ ਦਾ ਸਪਸ਼ਟ ਸੰਬੰਧ ਦਿਖਾਉਂਦਾ ਹੈ।"
    ),
    "ideas_title": "ਮੁੱਖ ਵਿਚਾਰ",
    "ideas_1": "ਬੁਨਿਆਦੀ ਸਿਧਾਂਤ",
    "ideas_2": "ਆਪਸ ਵਿੱਚ ਜੁੜੀਆਂ ਧਾਰਨਾਵਾਂ",
    "ideas_3": "ਯਾਦ ਰੱਖਣ ਯੋਗ ਗੱਲਾਂ",
    "ideas_say": (
        "{topic} ਦੇ ਕੇਂਦਰ ਵਿੱਚ ਕੁਝ ਬੁਨਿਆਦੀ ਸਿਧਾਂਤ ਹਨ। ਇਹ ਆਪਸ ਵਿੱਚ ਡੂੰਘਾਈ ਨਾਲ ਜੁੜੇ ਹਨ, ਅਤੇ "
        "ਇਨ੍ਹਾਂ ਦੇ ਸੰਬੰਧ ਸਮਝਣ ਨਾਲ ਖਿੰਡੀ ਜਾਣਕਾਰੀ ਸੱਚੀ ਸਮਝ ਵਿੱਚ ਬਦਲ ਜਾਂਦੀ ਹੈ।"
    ),
    "examples_title": "ਅਸਲ ਜ਼ਿੰਦਗੀ ਦੀਆਂ ਮਿਸਾਲਾਂ",
    "examples_1": "ਰੋਜ਼ਾਨਾ ਜ਼ਿੰਦਗੀ ਵਿੱਚ",
    "examples_2": "ਕੰਮ ਅਤੇ ਉਦਯੋਗ ਵਿੱਚ ਵਰਤੋਂ",
    "examples_3": "ਅਸਲ ਘਟਨਾਵਾਂ ਤੋਂ ਸਬਕ",
    "examples_say": (
        "ਮਿਸਾਲਾਂ ਵਿਸ਼ੇ ਨੂੰ ਠੋਸ ਬਣਾਉਂਦੀਆਂ ਹਨ। ਅਸੀਂ {topic} ਨੂੰ ਰੋਜ਼ਾਨਾ ਜ਼ਿੰਦਗੀ ਵਿੱਚ ਵੀ ਦੇਖਦੇ "
        "ਹਾਂ ਅਤੇ ਪੇਸ਼ੇਵਰ ਦੁਨੀਆ ਵਿੱਚ ਵੀ, ਅਤੇ ਅਸਲ ਘਟਨਾਵਾਂ ਕੀਮਤੀ ਸਬਕ ਦਿੰਦੀਆਂ ਹਨ।"
    ),
    "myths_title": "ਆਮ ਗ਼ਲਤਫ਼ਹਿਮੀਆਂ",
    "myths_1": "ਪ੍ਰਚਲਿਤ ਮਿੱਥਾਂ",
    "myths_2": "ਇਹ ਗ਼ਲਤਫ਼ਹਿਮੀਆਂ ਕਿਉਂ ਫੈਲਦੀਆਂ ਹਨ",
    "myths_3": "ਸਬੂਤ ਅਸਲ ਵਿੱਚ ਕੀ ਦੱਸਦੇ ਹਨ",
    "myths_say": (
        "{topic} ਬਾਰੇ ਕਈ ਗ਼ਲਤਫ਼ਹਿਮੀਆਂ ਆਮ ਹਨ। ਇਹ ਪੁੱਛਣਾ ਜ਼ਰੂਰੀ ਹੈ ਕਿ ਉਹ ਕਿਉਂ ਕਾਇਮ ਰਹਿੰਦੀਆਂ ਹਨ, "
        "ਅਤੇ ਫਿਰ ਉਨ੍ਹਾਂ ਨੂੰ ਸਬੂਤਾਂ ਨਾਲ ਪਰਖਣਾ ਚਾਹੀਦਾ ਹੈ।"
    ),
    "challenges_title": "ਚੁਣੌਤੀਆਂ ਅਤੇ ਸੀਮਾਵਾਂ",
    "challenges_1": "ਅਣਸੁਲਝੀਆਂ ਸਮੱਸਿਆਵਾਂ",
    "challenges_2": "ਅਮਲੀ ਸੀਮਾਵਾਂ ਅਤੇ ਸਮਝੌਤੇ",
    "challenges_3": "ਇਨ੍ਹਾਂ ਨਾਲ ਨਜਿੱਠਣ ਦੇ ਤਰੀਕੇ",
    "challenges_say": (
        "ਕੋਈ ਵੀ ਵਿਸ਼ਾ ਮੁਸ਼ਕਲਾਂ ਤੋਂ ਮੁਕਤ ਨਹੀਂ, ਅਤੇ {topic} ਵੀ ਇਸ ਤੋਂ ਵੱਖਰਾ ਨਹੀਂ। ਕੁਝ ਸਮੱਸਿਆਵਾਂ "
        "ਅਜੇ ਅਣਸੁਲਝੀਆਂ ਹਨ, ਪਰ ਉਨ੍ਹਾਂ ਨਾਲ ਨਜਿੱਠਣ ਦੇ ਸਿਆਣੇ ਤਰੀਕੇ ਵੀ ਹਨ।"
    ),
    "start_title": "ਸ਼ੁਰੂਆਤ ਕਿਵੇਂ ਕਰੀਏ",
    "start_1": "ਪਹਿਲੇ ਕਦਮ",
    "start_2": "ਲਾਭਦਾਇਕ ਸਰੋਤ ਅਤੇ ਆਦਤਾਂ",
    "start_3": "ਸ਼ੁਰੂਆਤੀ ਗ਼ਲਤੀਆਂ ਤੋਂ ਬਚਾਅ",
    "start_say": (
        "ਜੋ {topic} ਸਿੱਖਣਾ ਸ਼ੁਰੂ ਕਰਨਾ ਚਾਹੁੰਦੇ ਹਨ, ਉਨ੍ਹਾਂ ਲਈ ਰਾਹ ਸੌਖਾ ਹੈ। ਕੁਝ ਪਹਿਲੇ ਕਦਮ, ਚੰਗੇ "
        "ਸਰੋਤ ਅਤੇ ਨਿਯਮਿਤ ਆਦਤਾਂ ਤਰੱਕੀ ਨੂੰ ਸੌਖਾ ਬਣਾ ਦਿੰਦੀਆਂ ਹਨ।"
    ),
    "future_title": "ਅੱਗੇ ਦਾ ਰਾਹ",
    "future_1": "ਨਵੇਂ ਰੁਝਾਨ",
    "future_2": "ਅਜੇ ਅਣਸੁਲਝੇ ਸਵਾਲ",
    "future_3": "ਇਸ ਉੱਤੇ ਨਜ਼ਰ ਰੱਖਣਾ ਕਿਉਂ ਜ਼ਰੂਰੀ ਹੈ",
    "future_say": (
        "ਹੁਣ ਅੱਗੇ ਵੱਲ ਦੇਖਦੇ ਹਾਂ। ਨਵੇਂ ਰੁਝਾਨ {topic} ਨੂੰ ਲਗਾਤਾਰ ਬਦਲ ਰਹੇ ਹਨ, ਅਤੇ ਕਈ ਮਹੱਤਵਪੂਰਨ "
        "ਸਵਾਲਾਂ ਦੇ ਜਵਾਬ ਅਜੇ ਬਾਕੀ ਹਨ।"
    ),
}

_ODIA: Final[dict[str, str]] = {
    "subtitle": "{topic}: ଏକ ପରିଚୟ",
    "welcome": "ସ୍ୱାଗତ। ଏହି ଉପସ୍ଥାପନାରେ ଆମେ {topic} ବିଷୟର ଏକ ସ୍ପଷ୍ଟ ଓ ସୁସଂଗଠିତ ପରିଚୟ ଦେବୁ।",
    "overview_title": "ରୂପରେଖା",
    "overview_say": (
        "{topic} ବିଷୟରେ ଏହା ଆମ ଆଲୋଚନାର ରୂପରେଖା। ଆମେ ପ୍ରତ୍ୟେକ ଅଂଶକୁ କ୍ରମାନ୍ୱୟରେ ଦେଖିବା ଏବଂ "
        "ଶେଷରେ ମୁଖ୍ୟ ନିଷ୍କର୍ଷ ଉପସ୍ଥାପନ କରିବା।"
    ),
    "summary_title": "ମୁଖ୍ୟ ନିଷ୍କର୍ଷ",
    "summary_1": "କିଛି ସ୍ପଷ୍ଟ ମୌଳିକ ଧାରଣା",
    "summary_2": "ବ୍ୟବହାରିକ ଜୀବନରେ ଏହାର ପ୍ରକୃତ ମୂଲ୍ୟ",
    "summary_3": "କୌତୂହଳ ଓ ଅଭ୍ୟାସରେ ଗଭୀର ବୁଝାମଣା",
    "summary_say": (
        "ସଂକ୍ଷେପରେ, {topic} ଯତ୍ନର ସହ ବୁଝିବା ଭଳି ବିଷୟ। ଏହାର ମୂଳ ଧାରଣାଗୁଡ଼ିକ ସ୍ପଷ୍ଟ, ଏହାର ମୂଲ୍ୟ "
        "ବ୍ୟବହାରିକ, ଏବଂ ନିୟମିତ ଅଭ୍ୟାସରେ ବୁଝାମଣା ଆହୁରି ଗଭୀର ହୁଏ। ଧ୍ୟାନ ଦେଇଥିବାରୁ ଧନ୍ୟବାଦ।"
    ),
    "intro_title": "ଭୂମିକା",
    "closer_say": (
        "ଆସନ୍ତୁ ଗୋଟିଏ କଥାକୁ ପାଖରୁ ଦେଖିବା: {point}। ଏହାକୁ ସରଳ ଭାଷାରେ କହିବା ଏବଂ {topic} ବିଷୟର "
        "ସମଗ୍ର ଚିତ୍ର ସହ ଯୋଡ଼ିବା ଏହାକୁ ମନେ ରଖିବା ସହଜ କରେ।"
    ),
    "lens_1": "ସରଳ ଭାଷାରେ ଏହାର ଅର୍ଥ",
    "lens_2": "ସମଗ୍ର ବିଷୟ ସହ ଏହାର ସମ୍ପର୍କ",
    "lens_3": "ମନେ ରଖିବା ଭଳି ଏକ ଠୋସ୍ ଉଦାହରଣ",
    "lens_4": "ଆଗକୁ ଖୋଜିବା ଭଳି ପ୍ରଶ୍ନ",
    "what_title": "{topic} କ'ଣ?",
    "what_1": "ଏକ ସ୍ପଷ୍ଟ ସଂଜ୍ଞା",
    "what_2": "ଆବଶ୍ୟକ ଶବ୍ଦାବଳୀ ଓ ଉପାଦାନ",
    "what_3": "ବଡ଼ ଚିତ୍ରରେ ଏହାର ସ୍ଥାନ",
    "what_say": (
        "ଆମେ ମୌଳିକ କଥାରୁ ଆରମ୍ଭ କରୁଛୁ। {topic} ବିଷୟର ସଠିକ୍ ସଂଜ୍ଞା ଓ ଏହାର ଆବଶ୍ୟକ ଶବ୍ଦାବଳୀ ପରବର୍ତ୍ତୀ ସମସ୍ତ ଆଲୋଚନାର ମୂଳଦୁଆ।"
    ),
    "history_title": "ଇତିହାସ ଓ ପ୍ରସଙ୍ଗ",
    "history_1": "ବିଷୟର ଆରମ୍ଭ",
    "history_2": "ନିର୍ଣ୍ଣାୟକ ମୋଡ଼",
    "history_3": "ନିରନ୍ତର ବଦଳୁଥିବା ପ୍ରସଙ୍ଗ",
    "history_say": (
        "{topic} ବିଷୟକୁ ଭଲ ଭାବରେ ବୁଝିବା ପାଇଁ ଏହାର ଇତିହାସ ଜାଣିବା ଉପଯୋଗୀ। ଏହାର ଆରମ୍ଭ ଓ "
        "ନିର୍ଣ୍ଣାୟକ ମୋଡ଼ଗୁଡ଼ିକ ଏହାର ଆଜିର ରୂପକୁ ଅନେକାଂଶରେ ବୁଝାଏ।"
    ),
    "why_title": "{topic} କାହିଁକି ଗୁରୁତ୍ୱପୂର୍ଣ୍ଣ",
    "why_1": "କେଉଁ ସମସ୍ୟାର ସମାଧାନରେ ଏହା ସାହାଯ୍ୟ କରେ",
    "why_2": "କିଏ ଲାଭବାନ ହୁଏ, ଏବଂ କିପରି",
    "why_3": "ଅବହେଳାର ମୂଲ୍ୟ",
    "why_say": (
        "ଆମେ {topic} ପ୍ରତି କାହିଁକି ଧ୍ୟାନ ଦେବା? ଏହା ବାସ୍ତବ ସମସ୍ୟା ସହ ଜଡ଼ିତ, ବହୁ ଲୋକଙ୍କୁ ଲାଭ "
        "ଦିଏ, ଏବଂ ଏହାକୁ ଅବହେଳା କଲେ ତାହାର ମୂଲ୍ୟ ଦେବାକୁ ପଡ଼େ।"
    ),
    "how_title": "{topic} କିପରି କାମ କରେ",
    "how_1": "ମୁଖ୍ୟ ଉପାଦାନ ଓ ସେମାନଙ୍କ ପାରସ୍ପରିକ ସମ୍ପର୍କ",
    "how_2": "ପର୍ଯ୍ୟାୟକ୍ରମେ ସମଗ୍ର ପ୍ରକ୍ରିୟା",
    "how_3": "କାରଣ ଓ ଫଳାଫଳର ସମ୍ପର୍କ",
    "how_say": (
        "ଏବେ ଦେଖିବା {topic} କିପରି କାମ କରେ। ମୁଖ୍ୟ ଉପାଦାନଗୁଡ଼ିକ ଏକ ନିର୍ଦ୍ଦିଷ୍ଟ କ୍ରମରେ କାମ "
        "କରନ୍ତି, ଏବଂ ପ୍ରତ୍ୟେକ ପର୍ଯ୍ୟାୟ କାରଣ ଓ ଫଳାଫଳର ସ୍ପଷ୍ଟ ସମ୍ପର୍କ ଦେଖାଏ।"
    ),
    "ideas_title": "ମୁଖ୍ୟ ଧାରଣା",
    "ideas_1": "ମୌଳିକ ନୀତି",
    "ideas_2": "ପରସ୍ପର ସହ ଜଡ଼ିତ ଧାରଣା",
    "ideas_3": "ମନେ ରଖିବା ଭଳି କଥା",
    "ideas_say": (
        "{topic} ବିଷୟର କେନ୍ଦ୍ରରେ କିଛି ମୌଳିକ ନୀତି ରହିଛି। ସେଗୁଡ଼ିକ ପରସ୍ପର ସହ ଗଭୀର ଭାବେ ଜଡ଼ିତ, "
        "ଏବଂ ସେମାନଙ୍କ ସମ୍ପର୍କ ବୁଝିଲେ ଛିନ୍ନଛତ୍ର ତଥ୍ୟ ପ୍ରକୃତ ବୁଝାମଣାରେ ପରିଣତ ହୁଏ।"
    ),
    "examples_title": "ବାସ୍ତବ ଜୀବନର ଉଦାହରଣ",
    "examples_1": "ଦୈନନ୍ଦିନ ଜୀବନରେ",
    "examples_2": "କାମ ଓ ଶିଳ୍ପରେ ବ୍ୟବହାର",
    "examples_3": "ବାସ୍ତବ ଘଟଣାରୁ ଶିକ୍ଷା",
    "examples_say": (
        "ଉଦାହରଣ ବିଷୟକୁ ଠୋସ୍ କରିଥାଏ। ଦୈନନ୍ଦିନ ଜୀବନରେ ଓ ବୃତ୍ତିଗତ କ୍ଷେତ୍ରରେ ଆମେ {topic} ଦେଖିବାକୁ "
        "ପାଉ, ଏବଂ ବାସ୍ତବ ଘଟଣାଗୁଡ଼ିକ ମୂଲ୍ୟବାନ ଶିକ୍ଷା ଦିଏ।"
    ),
    "myths_title": "ସାଧାରଣ ଭୁଲ ଧାରଣା",
    "myths_1": "ପ୍ରଚଳିତ କିମ୍ବଦନ୍ତୀ",
    "myths_2": "ଏହି ଭୁଲ ଧାରଣା କାହିଁକି ବ୍ୟାପେ",
    "myths_3": "ପ୍ରମାଣ ପ୍ରକୃତରେ କ'ଣ କହେ",
    "myths_say": (
        "{topic} ବିଷୟରେ ଅନେକ ଭୁଲ ଧାରଣା ପ୍ରଚଳିତ। ସେଗୁଡ଼ିକ କାହିଁକି ରହିଯାଏ ତାହା ଭାବିବା ଏବଂ ପ୍ରମାଣ ସହ ତୁଳନା କରିବା ଆବଶ୍ୟକ।"
    ),
    "challenges_title": "ଆହ୍ୱାନ ଓ ସୀମା",
    "challenges_1": "ଅମୀମାଂସିତ ସମସ୍ୟା",
    "challenges_2": "ବ୍ୟବହାରିକ ସୀମା ଓ ସାଲିସ",
    "challenges_3": "ଏଗୁଡ଼ିକର ମୁକାବିଲା ଉପାୟ",
    "challenges_say": (
        "କୌଣସି ବିଷୟ ଅସୁବିଧାମୁକ୍ତ ନୁହେଁ, ଏବଂ {topic} ମଧ୍ୟ ଏହାର ବ୍ୟତିକ୍ରମ ନୁହେଁ। କିଛି ସମସ୍ୟା ଏବେ "
        "ବି ଅମୀମାଂସିତ, କିନ୍ତୁ ସେଗୁଡ଼ିକର ମୁକାବିଲା ପାଇଁ ବୁଦ୍ଧିମାନ ଉପାୟ ମଧ୍ୟ ଅଛି।"
    ),
    "start_title": "କିପରି ଆରମ୍ଭ କରିବେ",
    "start_1": "ପ୍ରଥମ ପଦକ୍ଷେପ",
    "start_2": "ଉପଯୋଗୀ ଉତ୍ସ ଓ ଅଭ୍ୟାସ",
    "start_3": "ନୂଆ ଶିକ୍ଷାର୍ଥୀଙ୍କ ଏଡ଼ାଇବା ଭଳି ଭୁଲ",
    "start_say": (
        "ଯେଉଁମାନେ {topic} ଶିଖିବା ଆରମ୍ଭ କରିବାକୁ ଚାହାନ୍ତି, ସେମାନଙ୍କ ପାଇଁ ବାଟ ସହଜ। କିଛି ପ୍ରଥମ "
        "ପଦକ୍ଷେପ, ଭଲ ଉତ୍ସ ଓ ନିୟମିତ ଅଭ୍ୟାସ ପ୍ରଗତିକୁ ସହଜ କରେ।"
    ),
    "future_title": "ଆଗାମୀ ପଥ",
    "future_1": "ନୂଆ ଧାରା",
    "future_2": "ଏବେ ବି ଉତ୍ତରହୀନ ପ୍ରଶ୍ନ",
    "future_3": "ଏହା ଉପରେ ନଜର ରଖିବା କାହିଁକି ଜରୁରୀ",
    "future_say": (
        "ଏବେ ଆଗକୁ ଦେଖିବା। ନୂଆ ଧାରା {topic} ବିଷୟକୁ ନିରନ୍ତର ବଦଳାଉଛି, ଏବଂ ଅନେକ ଗୁରୁତ୍ୱପୂର୍ଣ୍ଣ ପ୍ରଶ୍ନର ଉତ୍ତର ଏବେ ବି ବାକି।"
    ),
}

_KANNADA: Final[dict[str, str]] = {
    "subtitle": "{topic}: ಒಂದು ಪರಿಚಯ",
    "welcome": ("ಸ್ವಾಗತ. ಈ ಪ್ರಸ್ತುತಿಯಲ್ಲಿ ನಾವು {topic} ವಿಷಯದ ಸ್ಪಷ್ಟ ಮತ್ತು ವ್ಯವಸ್ಥಿತ ಪರಿಚಯ ನೀಡುತ್ತೇವೆ."),
    "overview_title": "ರೂಪರೇಖೆ",
    "overview_say": (
        "{topic} ಕುರಿತ ನಮ್ಮ ಚರ್ಚೆಯ ರೂಪರೇಖೆ ಇದು. ನಾವು ಪ್ರತಿಯೊಂದು ಭಾಗವನ್ನು ಒಂದೊಂದಾಗಿ ನೋಡಿ, "
        "ಕೊನೆಯಲ್ಲಿ ಮುಖ್ಯ ತೀರ್ಮಾನಗಳನ್ನು ಮಂಡಿಸುತ್ತೇವೆ."
    ),
    "summary_title": "ಮುಖ್ಯ ತೀರ್ಮಾನಗಳು",
    "summary_1": "ಕೆಲವು ಸ್ಪಷ್ಟ ಮೂಲಭೂತ ವಿಚಾರಗಳು",
    "summary_2": "ಪ್ರಾಯೋಗಿಕವಾಗಿ ಇದರ ನಿಜವಾದ ಮೌಲ್ಯ",
    "summary_3": "ಕುತೂಹಲ ಮತ್ತು ಅಭ್ಯಾಸದಿಂದ ಆಳವಾದ ತಿಳುವಳಿಕೆ",
    "summary_say": (
        "ಸಂಕ್ಷಿಪ್ತವಾಗಿ, {topic} ಗಮನವಿಟ್ಟು ತಿಳಿಯಬೇಕಾದ ವಿಷಯ. ಇದರ ಮೂಲ ವಿಚಾರಗಳು ಸ್ಪಷ್ಟವಾಗಿವೆ, ಇದರ "
        "ಮೌಲ್ಯ ಪ್ರಾಯೋಗಿಕವಾಗಿದೆ, ಮತ್ತು ನಿಯಮಿತ ಅಭ್ಯಾಸದಿಂದ ತಿಳುವಳಿಕೆ ಇನ್ನಷ್ಟು ಆಳವಾಗುತ್ತದೆ. "
        "ಗಮನವಿಟ್ಟು ಕೇಳಿದ್ದಕ್ಕೆ ಧನ್ಯವಾದಗಳು."
    ),
    "intro_title": "ಪೀಠಿಕೆ",
    "closer_say": (
        "ಒಂದು ಅಂಶವನ್ನು ಹತ್ತಿರದಿಂದ ನೋಡೋಣ: {point}. ಅದನ್ನು ಸರಳ ಮಾತುಗಳಲ್ಲಿ ಹೇಳಿ, {topic} ವಿಷಯದ "
        "ಒಟ್ಟು ಚಿತ್ರಕ್ಕೆ ಜೋಡಿಸಿದರೆ ನೆನಪಿಡುವುದು ಸುಲಭ."
    ),
    "lens_1": "ಸರಳ ಮಾತುಗಳಲ್ಲಿ ಇದರ ಅರ್ಥ",
    "lens_2": "ಇಡೀ ವಿಷಯದೊಂದಿಗೆ ಇದರ ಸಂಬಂಧ",
    "lens_3": "ನೆನಪಿಡಬೇಕಾದ ಒಂದು ನಿರ್ದಿಷ್ಟ ಉದಾಹರಣೆ",
    "lens_4": "ಮುಂದೆ ಅನ್ವೇಷಿಸಬೇಕಾದ ಪ್ರಶ್ನೆಗಳು",
    "what_title": "{topic} ಎಂದರೇನು?",
    "what_1": "ಸ್ಪಷ್ಟ ವ್ಯಾಖ್ಯಾನ",
    "what_2": "ಅಗತ್ಯ ಪದಗಳು ಮತ್ತು ಘಟಕಗಳು",
    "what_3": "ವಿಶಾಲ ಚಿತ್ರದಲ್ಲಿ ಇದರ ಸ್ಥಾನ",
    "what_say": (
        "ನಾವು ಮೂಲಭೂತ ವಿಷಯಗಳಿಂದ ಆರಂಭಿಸೋಣ. {topic} ವಿಷಯದ ನಿಖರ ವ್ಯಾಖ್ಯಾನ ಮತ್ತು ಅದರ ಅಗತ್ಯ ಪದಗಳು ಮುಂದಿನ ಎಲ್ಲದಕ್ಕೂ ಅಡಿಪಾಯ."
    ),
    "history_title": "ಇತಿಹಾಸ ಮತ್ತು ಹಿನ್ನೆಲೆ",
    "history_1": "ವಿಷಯದ ಆರಂಭ",
    "history_2": "ನಿರ್ಣಾಯಕ ತಿರುವುಗಳು",
    "history_3": "ನಿರಂತರವಾಗಿ ಬದಲಾಗುವ ಹಿನ್ನೆಲೆ",
    "history_say": (
        "{topic} ವಿಷಯವನ್ನು ಚೆನ್ನಾಗಿ ಅರಿಯಲು ಅದರ ಇತಿಹಾಸ ತಿಳಿಯುವುದು ಉಪಯುಕ್ತ. ಅದರ ಆರಂಭ ಮತ್ತು "
        "ನಿರ್ಣಾಯಕ ತಿರುವುಗಳು ಇಂದಿನ ಸ್ವರೂಪವನ್ನು ಬಹುಮಟ್ಟಿಗೆ ವಿವರಿಸುತ್ತವೆ."
    ),
    "why_title": "{topic} ಏಕೆ ಮುಖ್ಯ",
    "why_1": "ಇದು ಪರಿಹರಿಸಲು ನೆರವಾಗುವ ಸಮಸ್ಯೆಗಳು",
    "why_2": "ಯಾರಿಗೆ ಲಾಭ, ಹೇಗೆ",
    "why_3": "ನಿರ್ಲಕ್ಷಿಸಿದರೆ ಆಗುವ ನಷ್ಟ",
    "why_say": (
        "ನಾವು {topic} ಬಗ್ಗೆ ಏಕೆ ಗಮನ ಹರಿಸಬೇಕು? ಇದು ನೈಜ ಸಮಸ್ಯೆಗಳಿಗೆ ಸಂಬಂಧಿಸಿದೆ, ಅನೇಕರಿಗೆ ಪ್ರಯೋಜನ "
        "ನೀಡುತ್ತದೆ, ಮತ್ತು ಇದನ್ನು ನಿರ್ಲಕ್ಷಿಸಿದರೆ ಬೆಲೆ ತೆರಬೇಕಾಗುತ್ತದೆ."
    ),
    "how_title": "{topic} ಹೇಗೆ ಕೆಲಸ ಮಾಡುತ್ತದೆ",
    "how_1": "ಮುಖ್ಯ ಘಟಕಗಳು ಮತ್ತು ಅವುಗಳ ಪರಸ್ಪರ ಸಂಬಂಧ",
    "how_2": "ಹಂತ ಹಂತವಾಗಿ ಇಡೀ ಪ್ರಕ್ರಿಯೆ",
    "how_3": "ಕಾರಣ ಮತ್ತು ಪರಿಣಾಮದ ಸಂಬಂಧ",
    "how_say": (
        "ಈಗ {topic} ಹೇಗೆ ಕೆಲಸ ಮಾಡುತ್ತದೆ ಎಂದು ನೋಡೋಣ. ಮುಖ್ಯ ಘಟಕಗಳು ನಿಗದಿತ ಕ್ರಮದಲ್ಲಿ ಕೆಲಸ "
        "ಮಾಡುತ್ತವೆ, ಮತ್ತು ಪ್ರತಿ ಹಂತವೂ ಕಾರಣ ಮತ್ತು ಪರಿಣಾಮದ ಸ್ಪಷ್ಟ ಸಂಬಂಧವನ್ನು ತೋರಿಸುತ್ತದೆ."
    ),
    "ideas_title": "ಮುಖ್ಯ ವಿಚಾರಗಳು",
    "ideas_1": "ಮೂಲಭೂತ ತತ್ವಗಳು",
    "ideas_2": "ಪರಸ್ಪರ ಸಂಬಂಧಿತ ಪರಿಕಲ್ಪನೆಗಳು",
    "ideas_3": "ನೆನಪಿಡಬೇಕಾದ ಅಂಶಗಳು",
    "ideas_say": (
        "{topic} ವಿಷಯದ ಕೇಂದ್ರದಲ್ಲಿ ಕೆಲವು ಮೂಲಭೂತ ತತ್ವಗಳಿವೆ. ಅವು ಪರಸ್ಪರ ಗಾಢವಾಗಿ ಬೆಸೆದುಕೊಂಡಿವೆ, "
        "ಮತ್ತು ಅವುಗಳ ಸಂಬಂಧ ಅರಿತರೆ ಚದುರಿದ ಮಾಹಿತಿ ನಿಜವಾದ ತಿಳುವಳಿಕೆಯಾಗುತ್ತದೆ."
    ),
    "examples_title": "ನೈಜ ಜೀವನದ ಉದಾಹರಣೆಗಳು",
    "examples_1": "ದೈನಂದಿನ ಜೀವನದಲ್ಲಿ",
    "examples_2": "ಕೆಲಸ ಮತ್ತು ಉದ್ಯಮದಲ್ಲಿ ಬಳಕೆ",
    "examples_3": "ನೈಜ ಘಟನೆಗಳಿಂದ ಪಾಠಗಳು",
    "examples_say": (
        "ಉದಾಹರಣೆಗಳು ವಿಷಯವನ್ನು ಸ್ಪಷ್ಟಗೊಳಿಸುತ್ತವೆ. ದೈನಂದಿನ ಜೀವನದಲ್ಲೂ ವೃತ್ತಿಪರ ಕ್ಷೇತ್ರದಲ್ಲೂ ನಾವು "
        "{topic} ಕಾಣುತ್ತೇವೆ, ಮತ್ತು ನೈಜ ಘಟನೆಗಳು ಅಮೂಲ್ಯ ಪಾಠಗಳನ್ನು ಕಲಿಸುತ್ತವೆ."
    ),
    "myths_title": "ಸಾಮಾನ್ಯ ತಪ್ಪು ಕಲ್ಪನೆಗಳು",
    "myths_1": "ಜನಪ್ರಿಯ ಮಿಥ್ಯೆಗಳು",
    "myths_2": "ಈ ತಪ್ಪು ಕಲ್ಪನೆಗಳು ಏಕೆ ಹರಡುತ್ತವೆ",
    "myths_3": "ಪುರಾವೆಗಳು ನಿಜವಾಗಿ ಏನು ಹೇಳುತ್ತವೆ",
    "myths_say": (
        "{topic} ಕುರಿತು ಅನೇಕ ತಪ್ಪು ಕಲ್ಪನೆಗಳು ಪ್ರಚಲಿತದಲ್ಲಿವೆ. ಅವು ಏಕೆ ಉಳಿದುಕೊಂಡಿವೆ ಎಂದು ಯೋಚಿಸಿ, "
        "ಪುರಾವೆಗಳೊಂದಿಗೆ ಹೋಲಿಸುವುದು ಅಗತ್ಯ."
    ),
    "challenges_title": "ಸವಾಲುಗಳು ಮತ್ತು ಮಿತಿಗಳು",
    "challenges_1": "ಬಗೆಹರಿಯದ ಸಮಸ್ಯೆಗಳು",
    "challenges_2": "ಪ್ರಾಯೋಗಿಕ ಮಿತಿಗಳು ಮತ್ತು ರಾಜಿಗಳು",
    "challenges_3": "ಅವನ್ನು ನಿಭಾಯಿಸುವ ದಾರಿಗಳು",
    "challenges_say": (
        "ಯಾವುದೇ ವಿಷಯ ತೊಂದರೆಗಳಿಂದ ಮುಕ್ತವಲ್ಲ, ಮತ್ತು {topic} ಕೂಡ ಇದಕ್ಕೆ ಹೊರತಲ್ಲ. ಕೆಲವು ಸಮಸ್ಯೆಗಳು "
        "ಇನ್ನೂ ಬಗೆಹರಿದಿಲ್ಲ, ಆದರೆ ಅವನ್ನು ನಿಭಾಯಿಸುವ ಜಾಣ ದಾರಿಗಳೂ ಇವೆ."
    ),
    "start_title": "ಹೇಗೆ ಆರಂಭಿಸುವುದು",
    "start_1": "ಮೊದಲ ಹೆಜ್ಜೆಗಳು",
    "start_2": "ಉಪಯುಕ್ತ ಸಂಪನ್ಮೂಲಗಳು ಮತ್ತು ಅಭ್ಯಾಸಗಳು",
    "start_3": "ಆರಂಭಿಕರು ತಪ್ಪಿಸಬಹುದಾದ ತಪ್ಪುಗಳು",
    "start_say": (
        "{topic} ಕಲಿಯಲು ಆರಂಭಿಸಲು ಬಯಸುವವರಿಗೆ ದಾರಿ ಸುಲಭ. ಕೆಲವು ಮೊದಲ ಹೆಜ್ಜೆಗಳು, ಉತ್ತಮ ಸಂಪನ್ಮೂಲಗಳು "
        "ಮತ್ತು ನಿಯಮಿತ ಅಭ್ಯಾಸಗಳು ಪ್ರಗತಿಯನ್ನು ಸುಗಮಗೊಳಿಸುತ್ತವೆ."
    ),
    "future_title": "ಮುಂದಿನ ಹಾದಿ",
    "future_1": "ಹೊಸ ಪ್ರವೃತ್ತಿಗಳು",
    "future_2": "ಇನ್ನೂ ಉತ್ತರವಿಲ್ಲದ ಪ್ರಶ್ನೆಗಳು",
    "future_3": "ಇದರ ಮೇಲೆ ಗಮನವಿಡುವುದು ಏಕೆ ಮುಖ್ಯ",
    "future_say": (
        "ಈಗ ಮುಂದಕ್ಕೆ ನೋಡೋಣ. ಹೊಸ ಪ್ರವೃತ್ತಿಗಳು {topic} ವಿಷಯವನ್ನು ನಿರಂತರವಾಗಿ ಬದಲಾಯಿಸುತ್ತಿವೆ, "
        "ಮತ್ತು ಅನೇಕ ಮುಖ್ಯ ಪ್ರಶ್ನೆಗಳಿಗೆ ಇನ್ನೂ ಉತ್ತರ ಸಿಕ್ಕಿಲ್ಲ."
    ),
}

_TELUGU: Final[dict[str, str]] = {
    "subtitle": "{topic}: ఒక పరిచయం",
    "welcome": ("స్వాగతం. ఈ ప్రదర్శనలో మనం {topic} గురించి స్పష్టమైన, క్రమబద్ధమైన పరిచయం చేసుకుందాం."),
    "overview_title": "రూపరేఖ",
    "overview_say": (
        "{topic} గురించి మన చర్చ రూపరేఖ ఇది. ప్రతి భాగాన్ని ఒక్కొక్కటిగా చూసి, చివరలో ముఖ్యమైన ముగింపులను చెప్పుకుందాం."
    ),
    "summary_title": "ముఖ్య ముగింపులు",
    "summary_1": "కొన్ని స్పష్టమైన మౌలిక ఆలోచనలు",
    "summary_2": "ఆచరణలో దీని నిజమైన విలువ",
    "summary_3": "జిజ్ఞాస, సాధనతో లోతైన అవగాహన",
    "summary_say": (
        "సంక్షిప్తంగా, {topic} శ్రద్ధగా అర్థం చేసుకోదగిన విషయం. దీని మౌలిక ఆలోచనలు స్పష్టంగా "
        "ఉన్నాయి, దీని విలువ ఆచరణాత్మకమైనది, నిరంతర సాధనతో అవగాహన మరింత లోతవుతుంది. శ్రద్ధగా "
        "విన్నందుకు ధన్యవాదాలు."
    ),
    "intro_title": "ఉపోద్ఘాతం",
    "closer_say": (
        "ఒక అంశాన్ని దగ్గరగా చూద్దాం: {point}. దాన్ని సరళమైన మాటల్లో చెప్పి, {topic} పూర్తి "
        "చిత్రంతో జోడిస్తే గుర్తుంచుకోవడం సులభం."
    ),
    "lens_1": "సరళమైన మాటల్లో దీని అర్థం",
    "lens_2": "మొత్తం విషయంతో దీని సంబంధం",
    "lens_3": "గుర్తుంచుకోదగిన ఒక నిర్దిష్ట ఉదాహరణ",
    "lens_4": "ఇంకా అన్వేషించదగిన ప్రశ్నలు",
    "what_title": "{topic} అంటే ఏమిటి?",
    "what_1": "స్పష్టమైన నిర్వచనం",
    "what_2": "ముఖ్యమైన పదాలు, భాగాలు",
    "what_3": "విస్తృత చిత్రంలో దీని స్థానం",
    "what_say": (
        "మౌలిక విషయాలతో మొదలుపెడదాం. {topic} యొక్క ఖచ్చితమైన నిర్వచనం, దాని ముఖ్యమైన పదాలు తర్వాత వచ్చే అన్నిటికీ పునాది."
    ),
    "history_title": "చరిత్ర, నేపథ్యం",
    "history_1": "విషయం ఆరంభం",
    "history_2": "నిర్ణయాత్మక మలుపులు",
    "history_3": "నిరంతరం మారుతున్న నేపథ్యం",
    "history_say": (
        "{topic} ను బాగా అర్థం చేసుకోవడానికి దాని చరిత్ర తెలుసుకోవడం ఉపయోగకరం. దాని ఆరంభం, "
        "నిర్ణయాత్మక మలుపులు నేటి రూపాన్ని చాలావరకు వివరిస్తాయి."
    ),
    "why_title": "{topic} ఎందుకు ముఖ్యం",
    "why_1": "ఇది పరిష్కరించడంలో సహాయపడే సమస్యలు",
    "why_2": "ఎవరికి లాభం, ఎలా",
    "why_3": "నిర్లక్ష్యం చేస్తే కలిగే నష్టం",
    "why_say": (
        "మనం {topic} పై ఎందుకు దృష్టి పెట్టాలి? ఇది నిజమైన సమస్యలకు సంబంధించినది, ఎంతోమందికి "
        "మేలు చేస్తుంది, దీన్ని నిర్లక్ష్యం చేస్తే మూల్యం చెల్లించాల్సి వస్తుంది."
    ),
    "how_title": "{topic} ఎలా పనిచేస్తుంది",
    "how_1": "ప్రధాన భాగాలు, వాటి పరస్పర సంబంధం",
    "how_2": "దశలవారీగా పూర్తి ప్రక్రియ",
    "how_3": "కారణం, ఫలితం మధ్య సంబంధం",
    "how_say": (
        "ఇప్పుడు {topic} ఎలా పనిచేస్తుందో చూద్దాం. ప్రధాన భాగాలు ఒక నిర్దిష్ట క్రమంలో "
        "పనిచేస్తాయి, ప్రతి దశ కారణం, ఫలితం మధ్య స్పష్టమైన సంబంధాన్ని చూపిస్తుంది."
    ),
    "ideas_title": "ముఖ్య ఆలోచనలు",
    "ideas_1": "మౌలిక సూత్రాలు",
    "ideas_2": "పరస్పరం ముడిపడిన భావనలు",
    "ideas_3": "గుర్తుంచుకోదగిన అంశాలు",
    "ideas_say": (
        "{topic} కేంద్రంలో కొన్ని మౌలిక సూత్రాలు ఉన్నాయి. అవి ఒకదానితో ఒకటి గాఢంగా ముడిపడి "
        "ఉన్నాయి, వాటి సంబంధం అర్థమైతే చెల్లాచెదురైన సమాచారం నిజమైన అవగాహనగా మారుతుంది."
    ),
    "examples_title": "నిజ జీవిత ఉదాహరణలు",
    "examples_1": "రోజువారీ జీవితంలో",
    "examples_2": "పని, పరిశ్రమలో వినియోగం",
    "examples_3": "నిజమైన సంఘటనల నుంచి పాఠాలు",
    "examples_say": (
        "ఉదాహరణలు విషయాన్ని స్పష్టంగా చేస్తాయి. రోజువారీ జీవితంలోనూ వృత్తిపరమైన రంగంలోనూ మనం "
        "{topic} ను చూస్తాం, నిజమైన సంఘటనలు విలువైన పాఠాలు నేర్పుతాయి."
    ),
    "myths_title": "సాధారణ అపోహలు",
    "myths_1": "ప్రచారంలో ఉన్న కల్పనలు",
    "myths_2": "ఈ అపోహలు ఎందుకు వ్యాపిస్తాయి",
    "myths_3": "ఆధారాలు నిజంగా ఏమి చెబుతున్నాయి",
    "myths_say": (
        "{topic} గురించి చాలా అపోహలు ప్రచారంలో ఉన్నాయి. అవి ఎందుకు నిలిచి ఉంటాయో ఆలోచించి, ఆధారాలతో పోల్చి చూడటం అవసరం."
    ),
    "challenges_title": "సవాళ్లు, పరిమితులు",
    "challenges_1": "పరిష్కారం కాని సమస్యలు",
    "challenges_2": "ఆచరణాత్మక పరిమితులు, రాజీలు",
    "challenges_3": "వాటిని అధిగమించే మార్గాలు",
    "challenges_say": (
        "ఏ విషయమూ ఇబ్బందులు లేకుండా ఉండదు, {topic} కూడా దీనికి మినహాయింపు కాదు. కొన్ని సమస్యలు "
        "ఇంకా పరిష్కారం కాలేదు, కానీ వాటిని ఎదుర్కొనే తెలివైన మార్గాలూ ఉన్నాయి."
    ),
    "start_title": "ఎలా మొదలుపెట్టాలి",
    "start_1": "మొదటి అడుగులు",
    "start_2": "ఉపయోగకరమైన వనరులు, అలవాట్లు",
    "start_3": "కొత్తవారు నివారించదగిన పొరపాట్లు",
    "start_say": (
        "{topic} నేర్చుకోవడం మొదలుపెట్టాలనుకునేవారికి దారి సులభమే. కొన్ని మొదటి అడుగులు, మంచి "
        "వనరులు, క్రమమైన అలవాట్లు పురోగతిని సులభం చేస్తాయి."
    ),
    "future_title": "ముందున్న దారి",
    "future_1": "కొత్త ధోరణులు",
    "future_2": "ఇంకా జవాబు దొరకని ప్రశ్నలు",
    "future_3": "దీనిని ఎందుకు గమనిస్తూ ఉండాలి",
    "future_say": (
        "ఇప్పుడు ముందుకు చూద్దాం. కొత్త ధోరణులు {topic} ను నిరంతరం మారుస్తున్నాయి, ఎన్నో "
        "ముఖ్యమైన ప్రశ్నలకు ఇంకా జవాబులు దొరకలేదు."
    ),
}

_TAMIL: Final[dict[str, str]] = {
    "subtitle": "{topic}: ஓர் அறிமுகம்",
    "welcome": ("வணக்கம். இந்த விளக்கக்காட்சியில் {topic} பற்றிய தெளிவான, ஒழுங்கான அறிமுகத்தைக் காண்போம்."),
    "overview_title": "கண்ணோட்டம்",
    "overview_say": (
        "{topic} பற்றிய நம் உரையாடலின் வரைபடம் இது. ஒவ்வொரு பகுதியையும் வரிசையாகப் பார்த்து, "
        "இறுதியில் முக்கியக் கருத்துகளைத் தொகுப்போம்."
    ),
    "summary_title": "சுருக்கம்",
    "summary_1": "சில தெளிவான அடிப்படைக் கருத்துகள்",
    "summary_2": "நடைமுறையில் அதன் உண்மையான மதிப்பு",
    "summary_3": "ஆர்வமும் பயிற்சியும் புரிதலை ஆழமாக்கும்",
    "summary_say": (
        "சுருக்கமாகச் சொன்னால், {topic} கவனமாகப் புரிந்துகொள்ள வேண்டிய ஒரு தலைப்பு. அதன் "
        "அடிப்படைக் கருத்துகள் தெளிவானவை, அதன் மதிப்பு நடைமுறையானது, தொடர்ந்த பயிற்சி புரிதலை "
        "ஆழமாக்கும். கவனித்தமைக்கு நன்றி."
    ),
    "intro_title": "முன்னுரை",
    "closer_say": (
        "ஒரு கருத்தை நெருக்கமாகப் பார்ப்போம்: {point}. அதை எளிய சொற்களில் சொல்லி, {topic} என்ற "
        "முழுப் படத்துடன் இணைத்தால் நினைவில் வைப்பது எளிது."
    ),
    "lens_1": "எளிய சொற்களில் அதன் பொருள்",
    "lens_2": "முழுத் தலைப்புடன் அதன் தொடர்பு",
    "lens_3": "நினைவில் நிற்கும் ஓர் உறுதியான உதாரணம்",
    "lens_4": "மேலும் ஆராய வேண்டிய கேள்விகள்",
    "what_title": "{topic} என்றால் என்ன?",
    "what_1": "தெளிவான வரையறை",
    "what_2": "அத்தியாவசியச் சொற்களும் கூறுகளும்",
    "what_3": "பெரிய படத்தில் அதன் இடம்",
    "what_say": (
        "அடிப்படையிலிருந்து தொடங்குவோம். {topic} பற்றிய துல்லியமான வரையறையும் அதன் "
        "அத்தியாவசியச் சொற்களும் அடுத்து வரும் அனைத்திற்கும் அடித்தளம்."
    ),
    "history_title": "வரலாறும் பின்னணியும்",
    "history_1": "தலைப்பின் தொடக்கம்",
    "history_2": "தீர்க்கமான திருப்புமுனைகள்",
    "history_3": "தொடர்ந்து மாறும் பின்னணி",
    "history_say": (
        "{topic} பற்றி நன்கு புரிந்துகொள்ள அதன் வரலாற்றை அறிவது உதவும். அதன் தொடக்கமும் "
        "திருப்புமுனைகளும் இன்றைய வடிவத்தைப் பெருமளவு விளக்குகின்றன."
    ),
    "why_title": "{topic} ஏன் முக்கியம்",
    "why_1": "அது தீர்க்க உதவும் பிரச்சினைகள்",
    "why_2": "யாருக்கு, எப்படிப் பயன்",
    "why_3": "புறக்கணித்தால் ஏற்படும் இழப்பு",
    "why_say": (
        "{topic} மீது நாம் ஏன் கவனம் செலுத்த வேண்டும்? அது உண்மையான பிரச்சினைகளுடன் "
        "தொடர்புடையது, பலருக்குப் பயன் தருகிறது, அதைப் புறக்கணித்தால் விலை கொடுக்க நேரிடும்."
    ),
    "how_title": "{topic} எப்படிச் செயல்படுகிறது",
    "how_1": "முக்கியக் கூறுகளும் அவற்றின் தொடர்பும்",
    "how_2": "படிப்படியாக முழுச் செயல்முறை",
    "how_3": "காரணமும் விளைவும்",
    "how_say": (
        "இப்போது {topic} எப்படிச் செயல்படுகிறது என்று பார்ப்போம். முக்கியக் கூறுகள் ஒரு "
        "குறிப்பிட்ட வரிசையில் இயங்குகின்றன, ஒவ்வொரு படியும் காரணத்துக்கும் விளைவுக்கும் "
        "இடையிலான தெளிவான தொடர்பைக் காட்டுகிறது."
    ),
    "ideas_title": "மையக் கருத்துகள்",
    "ideas_1": "அடிப்படைக் கொள்கைகள்",
    "ideas_2": "ஒன்றோடொன்று இணைந்த கருத்துருக்கள்",
    "ideas_3": "நினைவில் கொள்ள வேண்டியவை",
    "ideas_say": (
        "{topic} என்பதன் மையத்தில் சில அடிப்படைக் கொள்கைகள் உள்ளன. அவை ஒன்றோடொன்று ஆழமாகப் "
        "பிணைந்தவை, அவற்றின் தொடர்பைப் புரிந்தால் சிதறிய தகவல்கள் உண்மையான புரிதலாக மாறும்."
    ),
    "examples_title": "நிஜ வாழ்க்கை உதாரணங்கள்",
    "examples_1": "அன்றாட வாழ்க்கையில்",
    "examples_2": "பணியிலும் தொழில்துறையிலும் பயன்பாடு",
    "examples_3": "உண்மை நிகழ்வுகள் தரும் பாடங்கள்",
    "examples_say": (
        "உதாரணங்கள் தலைப்பை உறுதியானதாக்குகின்றன. அன்றாட வாழ்க்கையிலும் தொழில்முறைத் "
        "துறையிலும் நாம் {topic} காண்கிறோம், உண்மை நிகழ்வுகள் மதிப்புமிக்க பாடங்களைக் கற்றுத் "
        "தருகின்றன."
    ),
    "myths_title": "பொதுவான தவறான கருத்துகள்",
    "myths_1": "பரவலான கட்டுக்கதைகள்",
    "myths_2": "இந்தத் தவறான கருத்துகள் ஏன் பரவுகின்றன",
    "myths_3": "சான்றுகள் உண்மையில் சொல்வது என்ன",
    "myths_say": (
        "{topic} பற்றி பல தவறான கருத்துகள் பரவலாக உள்ளன. அவை ஏன் நீடிக்கின்றன என்று "
        "சிந்தித்து, சான்றுகளுடன் ஒப்பிட்டுப் பார்ப்பது அவசியம்."
    ),
    "challenges_title": "சவால்களும் வரம்புகளும்",
    "challenges_1": "தீர்க்கப்படாத பிரச்சினைகள்",
    "challenges_2": "நடைமுறை வரம்புகளும் சமரசங்களும்",
    "challenges_3": "அவற்றைக் கடக்கும் வழிகள்",
    "challenges_say": (
        "எந்தத் தலைப்பும் சிக்கல்கள் இல்லாதது அல்ல, {topic} இதற்கு விதிவிலக்கும் அல்ல. சில "
        "பிரச்சினைகள் இன்னும் தீர்க்கப்படவில்லை, ஆனால் அவற்றைச் சமாளிக்கும் அறிவார்ந்த "
        "வழிகளும் உள்ளன."
    ),
    "start_title": "எப்படித் தொடங்குவது",
    "start_1": "முதல் அடிகள்",
    "start_2": "பயனுள்ள வளங்களும் பழக்கங்களும்",
    "start_3": "தொடக்கநிலையாளர்கள் தவிர்க்கக்கூடிய பிழைகள்",
    "start_say": (
        "{topic} கற்கத் தொடங்க விரும்புவோருக்கு வழி எளிதானது. சில முதல் அடிகள், நல்ல வளங்கள், "
        "ஒழுங்கான பழக்கங்கள் முன்னேற்றத்தை எளிதாக்கும்."
    ),
    "future_title": "முன்னோக்கிய பார்வை",
    "future_1": "புதிய போக்குகள்",
    "future_2": "இன்னும் விடை கிடைக்காத கேள்விகள்",
    "future_3": "இதைத் தொடர்ந்து கவனிப்பது ஏன் முக்கியம்",
    "future_say": (
        "இப்போது முன்னோக்கிப் பார்ப்போம். புதிய போக்குகள் {topic} என்பதைத் தொடர்ந்து மாற்றி "
        "வருகின்றன, பல முக்கியக் கேள்விகளுக்கு இன்னும் விடை கிடைக்கவில்லை."
    ),
}

_MALAYALAM: Final[dict[str, str]] = {
    "subtitle": "{topic}: ഒരു ആമുഖം",
    "welcome": ("സ്വാഗതം. ഈ അവതരണത്തിൽ {topic} എന്ന വിഷയത്തിന് വ്യക്തവും ചിട്ടയുമുള്ള ഒരു ആമുഖം നൽകുന്നു."),
    "overview_title": "രൂപരേഖ",
    "overview_say": (
        "{topic} എന്ന വിഷയത്തെക്കുറിച്ചുള്ള നമ്മുടെ ചർച്ചയുടെ രൂപരേഖ ഇതാണ്. ഓരോ ഭാഗവും "
        "ക്രമമായി കണ്ട്, ഒടുവിൽ പ്രധാന നിഗമനങ്ങൾ അവതരിപ്പിക്കാം."
    ),
    "summary_title": "പ്രധാന നിഗമനങ്ങൾ",
    "summary_1": "വ്യക്തമായ ചില അടിസ്ഥാന ആശയങ്ങൾ",
    "summary_2": "പ്രായോഗികതലത്തിലെ യഥാർത്ഥ മൂല്യം",
    "summary_3": "ജിജ്ഞാസയും പരിശീലനവും ധാരണ ആഴപ്പെടുത്തുന്നു",
    "summary_say": (
        "ചുരുക്കത്തിൽ, {topic} എന്നത് ശ്രദ്ധയോടെ മനസ്സിലാക്കേണ്ട ഒരു വിഷയമാണ്. അതിന്റെ "
        "അടിസ്ഥാന ആശയങ്ങൾ വ്യക്തമാണ്, അതിന്റെ മൂല്യം പ്രായോഗികമാണ്, തുടർച്ചയായ പരിശീലനം ധാരണ "
        "കൂടുതൽ ആഴത്തിലാക്കും. ശ്രദ്ധിച്ചതിന് നന്ദി."
    ),
    "intro_title": "ആമുഖം",
    "closer_say": (
        "ഒരു കാര്യം അടുത്തുനിന്ന് നോക്കാം: {point}. അത് ലളിതമായ വാക്കുകളിൽ പറയുകയും {topic} "
        "എന്ന വിഷയത്തിന്റെ മൊത്തം ചിത്രവുമായി ബന്ധിപ്പിക്കുകയും ചെയ്താൽ ഓർത്തിരിക്കാൻ "
        "എളുപ്പമാണ്."
    ),
    "lens_1": "ലളിതമായ വാക്കുകളിൽ അതിന്റെ അർത്ഥം",
    "lens_2": "മുഴുവൻ വിഷയവുമായുള്ള ബന്ധം",
    "lens_3": "ഓർത്തിരിക്കാവുന്ന ഒരു വ്യക്തമായ ഉദാഹരണം",
    "lens_4": "ഇനിയും അന്വേഷിക്കേണ്ട ചോദ്യങ്ങൾ",
    "what_title": "{topic} എന്താണ്?",
    "what_1": "വ്യക്തമായ ഒരു നിർവചനം",
    "what_2": "അവശ്യ പദങ്ങളും ഘടകങ്ങളും",
    "what_3": "വലിയ ചിത്രത്തിൽ അതിന്റെ സ്ഥാനം",
    "what_say": (
        "അടിസ്ഥാന കാര്യങ്ങളിൽ നിന്ന് തുടങ്ങാം. {topic} എന്ന വിഷയത്തിന്റെ കൃത്യമായ നിർവചനവും "
        "അതിന്റെ അവശ്യ പദങ്ങളും തുടർന്നുള്ള എല്ലാത്തിനും അടിത്തറയാണ്."
    ),
    "history_title": "ചരിത്രവും പശ്ചാത്തലവും",
    "history_1": "വിഷയത്തിന്റെ തുടക്കം",
    "history_2": "നിർണായക വഴിത്തിരിവുകൾ",
    "history_3": "നിരന്തരം മാറുന്ന പശ്ചാത്തലം",
    "history_say": (
        "{topic} നന്നായി മനസ്സിലാക്കാൻ അതിന്റെ ചരിത്രം അറിയുന്നത് സഹായകമാണ്. അതിന്റെ തുടക്കവും "
        "വഴിത്തിരിവുകളും ഇന്നത്തെ രൂപത്തെ ഏറെക്കുറെ വിശദീകരിക്കുന്നു."
    ),
    "why_title": "{topic} എന്തുകൊണ്ട് പ്രധാനമാണ്",
    "why_1": "പരിഹരിക്കാൻ സഹായിക്കുന്ന പ്രശ്നങ്ങൾ",
    "why_2": "ആർക്ക്, എങ്ങനെ പ്രയോജനം",
    "why_3": "അവഗണിച്ചാലുള്ള നഷ്ടം",
    "why_say": (
        "{topic} എന്ന വിഷയത്തിൽ നാം എന്തിന് ശ്രദ്ധിക്കണം? അത് യഥാർത്ഥ പ്രശ്നങ്ങളുമായി "
        "ബന്ധപ്പെട്ടതാണ്, അനേകർക്ക് പ്രയോജനം ചെയ്യുന്നു, അവഗണിച്ചാൽ വില നൽകേണ്ടി വരും."
    ),
    "how_title": "{topic} എങ്ങനെ പ്രവർത്തിക്കുന്നു",
    "how_1": "പ്രധാന ഘടകങ്ങളും അവയുടെ പരസ്പരബന്ധവും",
    "how_2": "ഘട്ടം ഘട്ടമായി മുഴുവൻ പ്രക്രിയയും",
    "how_3": "കാരണവും ഫലവും തമ്മിലുള്ള ബന്ധം",
    "how_say": (
        "ഇനി {topic} എങ്ങനെ പ്രവർത്തിക്കുന്നു എന്ന് നോക്കാം. പ്രധാന ഘടകങ്ങൾ ഒരു നിശ്ചിത "
        "ക്രമത്തിൽ പ്രവർത്തിക്കുന്നു, ഓരോ ഘട്ടവും കാരണവും ഫലവും തമ്മിലുള്ള വ്യക്തമായ ബന്ധം "
        "കാണിക്കുന്നു."
    ),
    "ideas_title": "പ്രധാന ആശയങ്ങൾ",
    "ideas_1": "അടിസ്ഥാന തത്വങ്ങൾ",
    "ideas_2": "പരസ്പരം ബന്ധപ്പെട്ട ആശയങ്ങൾ",
    "ideas_3": "ഓർത്തിരിക്കേണ്ട കാര്യങ്ങൾ",
    "ideas_say": (
        "{topic} എന്ന വിഷയത്തിന്റെ കാതലിൽ ചില അടിസ്ഥാന തത്വങ്ങളുണ്ട്. അവ പരസ്പരം ആഴത്തിൽ "
        "ബന്ധപ്പെട്ടിരിക്കുന്നു, ആ ബന്ധം മനസ്സിലായാൽ ചിതറിയ വിവരങ്ങൾ യഥാർത്ഥ ധാരണയായി മാറും."
    ),
    "examples_title": "യഥാർത്ഥ ജീവിതത്തിലെ ഉദാഹരണങ്ങൾ",
    "examples_1": "ദൈനംദിന ജീവിതത്തിൽ",
    "examples_2": "ജോലിയിലും വ്യവസായത്തിലും ഉപയോഗം",
    "examples_3": "യഥാർത്ഥ സംഭവങ്ങളിൽ നിന്നുള്ള പാഠങ്ങൾ",
    "examples_say": (
        "ഉദാഹരണങ്ങൾ വിഷയത്തെ മൂർത്തമാക്കുന്നു. ദൈനംദിന ജീവിതത്തിലും തൊഴിൽ മേഖലയിലും നാം "
        "{topic} കാണുന്നു, യഥാർത്ഥ സംഭവങ്ങൾ വിലപ്പെട്ട പാഠങ്ങൾ നൽകുന്നു."
    ),
    "myths_title": "സാധാരണ തെറ്റിദ്ധാരണകൾ",
    "myths_1": "പ്രചാരത്തിലുള്ള മിഥ്യാധാരണകൾ",
    "myths_2": "ഈ തെറ്റിദ്ധാരണകൾ എന്തുകൊണ്ട് പ്രചരിക്കുന്നു",
    "myths_3": "തെളിവുകൾ യഥാർത്ഥത്തിൽ പറയുന്നത്",
    "myths_say": (
        "{topic} എന്ന വിഷയത്തെക്കുറിച്ച് പല തെറ്റിദ്ധാരണകളും പ്രചാരത്തിലുണ്ട്. അവ എന്തുകൊണ്ട് "
        "നിലനിൽക്കുന്നു എന്ന് ചിന്തിക്കുകയും തെളിവുകളുമായി താരതമ്യം ചെയ്യുകയും വേണം."
    ),
    "challenges_title": "വെല്ലുവിളികളും പരിമിതികളും",
    "challenges_1": "പരിഹരിക്കപ്പെടാത്ത പ്രശ്നങ്ങൾ",
    "challenges_2": "പ്രായോഗിക പരിമിതികളും വിട്ടുവീഴ്ചകളും",
    "challenges_3": "അവയെ മറികടക്കാനുള്ള വഴികൾ",
    "challenges_say": (
        "ഒരു വിഷയവും ബുദ്ധിമുട്ടുകളിൽ നിന്ന് മുക്തമല്ല, {topic} അതിന് അപവാദവുമല്ല. ചില "
        "പ്രശ്നങ്ങൾ ഇനിയും പരിഹരിക്കപ്പെട്ടിട്ടില്ല, എങ്കിലും അവയെ നേരിടാൻ ബുദ്ധിപരമായ "
        "വഴികളുണ്ട്."
    ),
    "start_title": "എങ്ങനെ തുടങ്ങാം",
    "start_1": "ആദ്യ ചുവടുകൾ",
    "start_2": "ഉപകാരപ്രദമായ വിഭവങ്ങളും ശീലങ്ങളും",
    "start_3": "തുടക്കക്കാർക്ക് ഒഴിവാക്കാവുന്ന തെറ്റുകൾ",
    "start_say": (
        "{topic} പഠിച്ചുതുടങ്ങാൻ ആഗ്രഹിക്കുന്നവർക്ക് വഴി എളുപ്പമാണ്. ചില ആദ്യ ചുവടുകളും നല്ല "
        "വിഭവങ്ങളും ചിട്ടയായ ശീലങ്ങളും പുരോഗതി എളുപ്പമാക്കുന്നു."
    ),
    "future_title": "മുന്നോട്ടുള്ള വഴി",
    "future_1": "പുതിയ പ്രവണതകൾ",
    "future_2": "ഇനിയും ഉത്തരം കിട്ടാത്ത ചോദ്യങ്ങൾ",
    "future_3": "ഇത് ശ്രദ്ധിച്ചുകൊണ്ടിരിക്കേണ്ടതിന്റെ കാരണം",
    "future_say": (
        "ഇനി മുന്നോട്ട് നോക്കാം. പുതിയ പ്രവണതകൾ {topic} എന്ന വിഷയത്തെ നിരന്തരം "
        "മാറ്റിക്കൊണ്ടിരിക്കുന്നു, പല പ്രധാന ചോദ്യങ്ങൾക്കും ഇനിയും ഉത്തരം കിട്ടിയിട്ടില്ല."
    ),
}


# --- the tables ----------------------------------------------------------------------------------

_NEUTRAL: Final[dict[str, dict[str, str]]] = {
    "hindi": _HINDI,
    "kannada": _KANNADA,
    "telugu": _TELUGU,
    "tamil": _TAMIL,
    "bengali": _BENGALI,
    "gujarati": _GUJARATI,
    "malayalam": _MALAYALAM,
    "marathi": _MARATHI,
    "odia": _ODIA,
    "punjabi": _PUNJABI,
    "spanish": _SPANISH,
    "french": _FRENCH,
    "german": _GERMAN,
    "portuguese": _PORTUGUESE,
    "russian": _RUSSIAN,
    "chinese": _CHINESE,
    "japanese": _JAPANESE,
    "arabic": _ARABIC,
}

# The full stop of each script and the exclamation mark that replaces it.
_EXCLAMATIONS: Final[dict[str, str]] = {".": "!", "।": "!", "。": "！"}
# French typography puts a space before "!", as the French table does before "?" and ":".
_FRENCH_EXCLAMATION: Final = " !"


def _exclaim(text: str, language: str) -> str:
    """`text` with its final full stop made an exclamation mark; a question stays a question."""
    stripped = text.rstrip()
    mark = _EXCLAMATIONS.get(stripped[-1:])
    if mark and language == "french":
        mark = _FRENCH_EXCLAMATION
    return stripped[:-1] + mark if mark else stripped


def _enthusiastic(table: Mapping[str, str], language: str) -> dict[str, str]:
    """A neutral table with every narration ending on an exclamation mark."""
    return {
        key: _exclaim(text, language) if key in NARRATION_KEYS else text
        for key, text in table.items()
    }


def _build() -> dict[str, dict[str, Mapping[str, str]]]:
    """Every language's complete table for every tone (read-only views)."""
    built: dict[str, dict[str, Mapping[str, str]]] = {
        "english": {tone: MappingProxyType({**_ENGLISH, **_ENGLISH_TONES[tone]}) for tone in TONES}
    }
    for language, table in _NEUTRAL.items():
        neutral = MappingProxyType(dict(table))
        built[language] = {tone: neutral for tone in TONES}
        built[language]["enthusiastic"] = MappingProxyType(_enthusiastic(table, language))
    return built


# language → tone → key → template.
PHRASES: Final[Mapping[str, Mapping[str, Mapping[str, str]]]] = MappingProxyType(_build())


def phrases(language: str, tone: str) -> Mapping[str, str]:
    """The phrase table for `language` in `tone`.

    Raises ValueError for a language not in `LANGUAGES` or a tone not in `TONES`.
    """
    if language not in LANGUAGES or language not in PHRASES:
        raise ValueError(f"no phrases for language {language!r}")
    if tone not in TONES:
        raise ValueError(f"unknown tone {tone!r}; allowed: {', '.join(TONES)}")
    return PHRASES[language][tone]
