"""Test game for input sent while a game boots: it sleeps 1.5 s before pygame.init().

100×40, black; a white 10×10 square at x = 10 + 10 × (ArrowRight KEYDOWNs seen), y = 15.
A TEXTINPUT 'g' turns a green block on at (90, 0). It prints "booted" once pygame is up.
"""

import time

time.sleep(1.5)  # a slow import or asset load: keys pressed now must still reach the game

import pygame  # noqa: E402


def main():
    pygame.init()
    screen = pygame.display.set_mode((100, 40))
    print("booted", flush=True)
    clock = pygame.time.Clock()
    rights, green, running = 0, False, True
    while running:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                running = False
            elif event.type == pygame.KEYDOWN and event.key == pygame.K_RIGHT:
                rights += 1
            elif event.type == pygame.TEXTINPUT and event.text == "g":
                green = True
        screen.fill((0, 0, 0))
        pygame.draw.rect(screen, (255, 255, 255), (10 + 10 * rights, 15, 10, 10))
        if green:
            pygame.draw.rect(screen, (0, 255, 0), (90, 0, 10, 10))
        pygame.display.flip()
        clock.tick(30)
    pygame.quit()


if __name__ == "__main__":
    main()
