package answers

import "strings"

// stopwords carry no topic: articles, pronouns, auxiliaries, question
// scaffolding and chat filler, in French and English, already normalised.
// Question words that do tell topics apart (combien, quand, pourquoi) stay.
var stopwords = makeSet(`
a ai aie aient aies ait as au aucun aucune aussi autre autres aux avaient avais avait avant avec avez aviez avoir avons ayant
c ca car ce ceci cela celle celles celui cet cette ceux chaque chez ci comme comment concernant d dans de des deja depuis
dois doit donc dont du elle elles en encore es est et etaient etais etait etant ete etes etre eu eux faire fais fait faut
fois ici il ils j je l la le les leur leurs lui m ma mais me meme mes moi mon n ne ni nos notre nous on ont ou par parce pas
peu peut peuvent peux pourrai pourrais pourrait pourriez pouvez pouvons puis puisse qu quel quelle quelles quels que quelqu
quelque quelques qui quoi s sa sans se sera serai serais serait seront ses si soit sommes son sont sous suis sur t ta te tes
toi ton tous tout toute toutes tres tu un une unes uns vais va vers veut veux voici voila vont vos votre vous y
voudrais voudrait voudrions souhaite souhaiterais souhaiterai aimerais aimerait savoir sais sait dire dis dit demande demander
question questions petite petit juste bref alors ainsi svp plait please aujourdhui actuellement vraiment possible
tous toutes est-ce oui non nn voir pour par entre jusqu cest quest exactement concretement genre svp stp peut etre besoin
comment ou propose proposee proposes proposees proposez proposer accepte acceptee acceptes acceptees accepter acceptez accepted passe passer passes lesquels lesquelles lequel laquelle
the an and or of to in on at by for from with about as is are was were be been being am do does did doing have has had
i me my we our you your he she it its they them their this that these those there here what which who whom how why
can could would should will shall may might must not no yes so if then than too very just also any some all
get got please tell know want wanna like im
`)

// chatter is filler of chat messages: generic verbs, adverbs and slang that
// never name a topic, in French and English. Dropped like stopwords.
var chatter = makeSet(`
juste vraiment exactement gros grosso modo truc trucs machin chose genre style wesh lol mdr ptdr dsl desole desolee
noob naif naive bete idiote rapide simple petite petites question questions interrogation
autorise autorisee autorises autorisees permis permet permettre possibles envisageable prevu prevue prevus prevues
existe existent aurais aurait auriez savez sauriez saurais connaissez connais dites regarde regarder regardais vu lu
entendu trouve trouver tombe tombee decouvert decouverte decouvrir interesse interessee interesses interessant
interessante motive motivee envie aimerais aimerait souhaitais voudrions pense pensais crois croyais demandais
demande demandes demandait demander renseigner renseignement renseignements info infos information informations
sais savais certain certaine certains certaines quelqu plusieurs beaucoup trop assez plutot surtout notamment
actuellement actuel actuelle aussi encore deja toujours jamais parfois souvent vite bientot maintenant ici
actually really exactly just quick sorry friend asking wondering curious like look looks looking kind sort bit little
thing things stuff anyone someone somebody anybody tell guys okay yeah yep maybe still already even ever never
wonder question questions hello hey hi admin savvy else also about regarding liste listes lister list directement direct
parle parler parlez parlent parlé envoie envoyer envoyez envoye envoyee envoyes envoi send sending sent
`)

// politeness words are dropped like stopwords, but unlike them they can
// stand alone as small talk ("merci", "bonjour").
var politeness = makeSet(`
bonjour bonsoir salut hello coucou hi hey yo merci thanks thank cordialement bien bonne journee soiree ok top super
`)

// isFiller is true for a word that carries no topic.
func isFiller(w string) bool { return stopwords[w] || politeness[w] || chatter[w] }

func makeSet(list string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(list) {
		set[w] = true
	}
	return set
}

// questionCues mark a sentence that asks, when nobody typed a question mark.
// "est-ce" is not among them: the words lose its hyphen, and "est" then
// "ce" as a cue made no difference in cross-validation (+2 multi-part
// messages all right, +1 with an entry not asked, +2 stray parts).
var questionCues = makeSet(`
combien comment quand pourquoi quel quelle quels quelles qui quoi ou ou_ savoir possible
what how when why where which who can could is are do does
`)

func hasQuestionCue(ws []string) bool {
	for _, w := range ws {
		if questionCues[w] {
			return true
		}
	}
	return false
}

// commonWords are everyday words the FAQ happens not to use: the speller
// leaves them alone rather than "correct" monde into mode or pistes into
// postes. They still count as words the FAQ does not know.
var commonWords = makeSet(`
monde gens personne personnes chose choses temps fois an annee annees mois heure heures minute soir matin midi nuit
vie famille enfant enfants ami amie amis femme homme mari parent parents chien chat maison voiture argent pays ville
eau pain repas cantine manger boire dormir pleut pleuvoir pluie soleil beau meteo temperature froid chaud neige
aller venir faire dire voir savoir pouvoir vouloir devoir prendre mettre donner trouver penser croire parler passer
aimer partir sortir rester tenir porter montrer laisser suivre lire ecrire jouer courir ouvrir fermer acheter vendre
payer envoyer recevoir attendre chercher trouver perdre gagner apprendre comprendre connaitre reconnaitre sentir
bien mal mieux pire grand grande petit petite bon bonne mauvais mauvaise nouveau nouvelle vieux vieille jeune
premier premiere dernier derniere autre meme tel telle seul seule vrai vraie faux fausse plein pleine vide
pistes piste liste place route rue carte photo image video film livre musique sport match football rugby tennis
foot velo train avion bus metro gare aeroport hotel restaurant cafe bar plage mer montagne
blague recette cuisine gateau tarte pomme impot impots declaration banque credit assurance mutuelle medecin
ordinateur telephone portable internet email site application logiciel python javascript excel word slack linkedin twitter
question questions reponse merci salut bonjour bravo pardon desole
lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin juillet aout septembre
octobre novembre decembre aujourdhui demain hier semaine weekend
`)

// fillerPhrases are idioms whose words would otherwise read as topics
// ("quand même" is not "quand").
var fillerPhrases = []string{
	"quand même", "tout de même", "en fait", "du coup", "au fait", "à priori", "a priori", "en gros",
	"de toute façon", "en tout cas", "par hasard", "au cas où", "il y a", "y a t il", "est ce que",
	"by the way", "in fact", "at all", "any chance",
}
