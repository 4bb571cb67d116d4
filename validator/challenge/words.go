package challenge

// The prompt generator's vocabulary. Templates name a list in braces.
var templates = []string{
	"Once upon a time, a {adj} {animal} lived near the {place}.",
	"The {adj} {person} walked to the {place} with a {object}.",
	"One day, {name} found a {adj} {object} under the {place}.",
	"{name} and the {animal} wanted to {verb} all day.",
	"Lily asked her mom why the {object} was so {adj}.",
	"Every morning the {person} would {verb} before going to the {place}.",
	"In the {adj} {place}, a little {animal} learned to {verb}.",
	"Tom had a {object}. It was {adj} and {adj}.",
	"There once was a {animal} who did not like to {verb}.",
	"{name} looked at the {adj} sky and said, \"Let's {verb}!\"",
	"Write a short story about a {adj} {animal} and a {object}.",
	"Explain to a child why a {animal} likes the {place}.",
}

var words = map[string][]string{
	"adj": {"happy", "small", "big", "shiny", "quiet", "brave", "funny", "sleepy", "red", "blue", "green", "soft",
		"tall", "tiny", "kind", "curious", "old", "new", "warm", "cold", "bright", "dark", "fast", "slow"},
	"animal": {"cat", "dog", "bird", "bunny", "fox", "bear", "frog", "mouse", "duck", "owl", "fish", "horse",
		"lion", "turtle", "puppy", "kitten"},
	"place": {"park", "river", "forest", "house", "garden", "school", "beach", "hill", "farm", "lake", "town",
		"castle", "kitchen", "tree"},
	"person": {"girl", "boy", "mom", "dad", "teacher", "farmer", "king", "queen", "friend", "baker", "doctor"},
	"object": {"ball", "box", "hat", "book", "cake", "toy", "kite", "flower", "key", "cup", "stick", "rock",
		"car", "boat", "apple", "map"},
	"name": {"Lily", "Tom", "Sue", "Ben", "Max", "Anna", "Sam", "Mia", "Jack", "Lucy", "Tim", "Zoe"},
	"verb": {"play", "run", "sing", "dance", "jump", "swim", "read", "draw", "build", "explore", "share", "help"},
}
