"""Test game that asks with input(): the colour named on the typed line fills the window."""

import pygame

COLOURS = {"red": (255, 0, 0), "blue": (0, 0, 255)}


def main():
    pygame.init()
    screen = pygame.display.set_mode((40, 30))
    screen.fill((0, 0, 0))
    pygame.display.flip()
    answer = input("colour? ").strip()
    screen.fill(COLOURS.get(answer, (128, 128, 128)))
    pygame.display.flip()
    clock = pygame.time.Clock()
    running = True
    while running:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                running = False
        clock.tick(20)
    pygame.quit()


if __name__ == "__main__":
    main()
